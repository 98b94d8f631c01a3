/**
 * bookops notifications clean-stale [--slot <id>]: archives and deletes the notification logs
 * that would silence the next candidate (seed 002 P0, audit notifications.stale-logs): logs of a
 * freed slot, or naming a candidate other than the slot's current one. Which schema is read from
 * the catalog (logsKeyedByCandidate): before migration 0004 the candidate is in the JSON payload,
 * after it in the column. Set-based, in committed keyset batches under one archive operation.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { deleteArchivedCount } from '../../archive/archive.js';
import { sqlText } from '../../data/sql-files.js';
import { logsKeyedByCandidate, type NotificationLogRow } from '../../domain/recruiting/index.js';
import { logCandidateParams } from '../../domain/recruiting/log-candidate.js';
import { SLOT_FREE } from '../../domain/statuses.js';
import { DEFAULT_BATCH_SIZE, inBatches, pageWhere, planRows, shortList, shownDelete, shownPlan, type BatchesResult } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { slotState } from '../slots/slot-state.js';

export interface CleanStaleOptions {
  slot?: number;
  batchSize?: number;
  sample?: number;
}

export interface CleanStalePlan extends ShownPlan {
  /** notification_logs.candidate_tg_id exists (migration 0004); else the payload is read. */
  keyedByCandidate: boolean;
  count: number;
  batchSize: number;
}

export type CleanStaleResult = DestructiveResult<CleanStalePlan, BatchesResult>;

export async function run(ctx: Context, opts: CleanStaleOptions): Promise<CleanStaleResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  if (opts.slot !== undefined) await slotState(db, opts.slot); // NotFoundError for an unknown slot
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const keyed = await logsKeyedByCandidate(db);
  const predicate = sqlText(keyed ? 'support/stale-logs' : 'support/stale-logs-legacy');
  const params = { slotId: opts.slot ?? null, freeStatus: SLOT_FREE, ...logCandidateParams };
  const { ids, rows } = await planRows(db, 'notification_logs', predicate, params, opts.sample ?? 20);
  const count = ids.length;
  const scope = opts.slot !== undefined ? ` of slot ${opts.slot}` : '';
  const from = keyed ? 'the candidate_tg_id column' : 'the JSON payload, as before migration 0004';
  const summary =
    count === 0
      ? `no stale notification log${scope} (candidates read from ${from})`
      : `archive and delete ${count} stale notification log(s)${scope}: of freed slots or of a previous candidate (read from ${from})`;
  const where = pageWhere(predicate);
  const plan: CleanStalePlan = {
    summary,
    keyedByCandidate: keyed,
    count,
    batchSize,
    sample: { table: 'notification_logs', total: count, rows },
    statements: shownPlan('notification_logs', predicate, params, batchSize, shownDelete('notification_logs', where, { ...params, ids: shortList(ids.slice(0, batchSize)) })),
  };
  return runDestructive(ctx, {
    action: 'notifications.clean-stale',
    plan: { describe: summary, preview: plan, empty: count === 0 },
    apply: (applier) =>
      inBatches(applier, ids, batchSize, async (trx, op, page) => deleteArchivedCount(trx, op, 'notification_logs', where, { ...params, ids: page })),
    summary: (r) => ({ deleted: r.rows, batches: r.batches, slot: opts.slot ?? null, keyedByCandidate: keyed }),
  });
}

export function render(r: CleanStaleResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [
      `${out.c.green('deleted')} ${res.rows} stale notification log(s) in ${res.batches} batch(es), archived; the next approval of those slots notifies the new candidate`,
    ],
  });
}
