export { enqueueOutbox, planEnqueue, type EnqueueInput, type EnqueueResult, type OutboxRow } from './enqueue.js';
export { dedupeOutbox, planDedupe, type DedupePlan } from './dedupe.js';
export { requeueOutbox, planRequeue, someOf, type RequeuePlan } from './requeue.js';
export { retryFailed, planRetryFailed, type RetryFailedPlan } from './retry-failed.js';
export { outboxStats, STUCK_DEFAULTS, type OutboxStats } from './stats.js';
