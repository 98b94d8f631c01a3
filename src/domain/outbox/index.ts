export { enqueueOutbox, type EnqueueInput, type EnqueueResult, type OutboxRow } from './enqueue.js';
