/**
 * outbox retry-failed [--type]: every failed outbox row with no retry scheduled ahead (the rule
 * outbox.failed of sql/outbox/rules.sql) goes back to pending (attempts reset, lock and retry
 * time cleared; last_error kept). In committed batches: each archives its page of rows, locked,
 * and updates exactly them.
 */
import type { Applier, BatchesResult } from '../../archive/applier.js';
import { applyBatched, planBatched, plannedIds, type BatchedChange, type ShownStatement } from '../../archive/changes.js';
import * as outbox from '../../data/outbox.repository.js';
import type { Db } from '../../data/sql.js';
import { UsageError } from '../../errors.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { DEFAULT_BATCH_SIZE } from './dedupe.js';
import { batchedPreview } from '../planned.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export interface RetryFailedInput {
  type?: string;
  batchSize?: number;
  sample?: number;
}

export interface RetryFailedPlan extends PlanBase {
  count: number;
  type: string | null;
  batchSize: number;
  change: BatchedChange;
  statements: ShownStatement[];
}

export async function planRetryFailed(db: Db, input: RetryFailedInput): Promise<RetryFailedPlan> {
  await requireModule(db, 'recruiting');
  if (input.type !== undefined && input.type.trim() === '') throw new UsageError('--type must not be empty (leave it out for every type)');
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const change = await planBatched(
    db,
    { table: 'outbox_notifications', change: 'update', where: outbox.failedOfType(), set: outbox.backToPending(), params: { type: input.type ?? null } },
    batchSize,
  );
  const count = change.ids.length;
  const of = input.type ? ` of type ${input.type}` : '';
  const sample = input.sample ?? PREVIEW_ROWS;
  return {
    summary: count === 0 ? `no failed outbox row${of} without a retry ahead` : `put ${count} failed outbox row(s)${of} with no retry ahead back to pending`,
    ...batchedPreview(db, change),
    count,
    type: input.type ?? null,
    batchSize,
    change,
    sample: { table: 'outbox_notifications', total: count, rows: count && sample ? await outbox.retryFailedRows(db, plannedIds(change, 0, sample)) : [] },
  };
}

export const retryFailed: DestructiveRule<RetryFailedInput, RetryFailedPlan, BatchesResult> = {
  action: 'outbox.retry-failed',
  doing: 'retrying failed outbox messages',
  unit: 'messages',
  plan: planRetryFailed,
  apply: (applier: Applier, plan) => applyBatched(applier, plan.change),
  summary: (r, plan) => ({ requeued: r.rows, batches: r.batches, type: plan.type }),
};
