/**
 * notifications clean-stale: archives and deletes the notification logs that would silence the
 * next candidate (seed 002 P0): exactly the logs the stale-log rule names (sql/recruiting/
 * notification-logs.sql stale-logs, which the audit check and migration 0004's preflight read
 * too). Set-based, in committed batches under one archive operation.
 */
import type { Applier } from '../../archive/applier.js';
import { applyBatched, batchedSample, planBatched, type BatchedChange, type BatchesResult, type ShownStatement } from '../../archive/changes.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { logsKeyedByCandidate } from './notification-logs.js';
import { slotState } from './slot.js';
import { batchedPreview } from '../planned.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export const DEFAULT_BATCH_SIZE = 5000;

export interface CleanStaleInput {
  slotId?: number;
  batchSize?: number;
  sample?: number;
}

export interface CleanStalePlan extends PlanBase {
  /** notification_logs.candidate_tg_id exists (migration 0004); else only the payload names the candidate. */
  keyedByCandidate: boolean;
  count: number;
  batchSize: number;
  slotId: number | null;
  change: BatchedChange;
  statements: ShownStatement[];
}

export async function planCleanStaleLogs(db: Db, input: CleanStaleInput): Promise<CleanStalePlan> {
  await requireModule(db, 'recruiting');
  if (input.slotId !== undefined) await slotState(db, input.slotId); // NotFoundError for an unknown slot
  const batchSize = input.batchSize ?? DEFAULT_BATCH_SIZE;
  const keyed = await logsKeyedByCandidate(db);
  const scope = { slotId: input.slotId ?? null };
  const stale = recruiting.stale(keyed, scope);
  const change = await planBatched(db, { table: 'notification_logs', change: 'delete', ...stale }, batchSize, recruiting.staleLogIdsStatement(keyed, scope));
  const count = change.ids.length;
  const where = input.slotId !== undefined ? ` of slot ${input.slotId}` : '';
  const from = keyed ? 'the candidate_tg_id column and the JSON payload' : 'the JSON payload, as before migration 0004';
  return {
    summary:
      count === 0
        ? `no stale notification log${where} (candidates read from ${from})`
        : `archive and delete ${count} stale notification log(s)${where}: of freed slots, of another candidate, or naming none (read from ${from})`,
    ...batchedPreview(db, change),
    keyedByCandidate: keyed,
    count,
    batchSize,
    slotId: input.slotId ?? null,
    change,
    sample: { table: 'notification_logs', total: count, rows: await batchedSample(db, change, input.sample ?? PREVIEW_ROWS) },
  };
}

export const cleanStaleLogs: DestructiveRule<CleanStaleInput, CleanStalePlan, BatchesResult> = {
  action: 'notifications.clean-stale',
  doing: 'deleting stale notification logs',
  unit: 'logs',
  plan: planCleanStaleLogs,
  apply: (applier: Applier, plan) => applyBatched(applier, plan.change),
  summary: (r, plan) => ({ deleted: r.rows, batches: r.batches, slot: plan.slotId, keyedByCandidate: plan.keyedByCandidate }),
};
