/**
 * bookops outbox retry-failed [--type <type>]: every failed outbox row with no retry scheduled
 * in the future (audit outbox.failed) goes back to pending (attempts reset, lock and retry time
 * cleared; last_error kept). In committed keyset batches: each locks its page of ids, archives
 * the rows, and updates exactly them.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { sqlText } from '../../data/sql-files.js';
import { UsageError } from '../../errors.js';
import { OUTBOX_FAILED, OUTBOX_PENDING } from '../../domain/statuses.js';
import { DEFAULT_BATCH_SIZE, inBatches, pageWhere, planRows, shortList, shownPlan, shownUpdate, updateArchived, type BatchesResult } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';

export interface RetryFailedOptions {
  type?: string;
  batchSize?: number;
  sample?: number;
}

export interface RetryFailedPlan extends ShownPlan {
  count: number;
  type: string | null;
  batchSize: number;
}

export type RetryFailedResult = DestructiveResult<RetryFailedPlan, BatchesResult>;

const SAMPLE_COLUMNS = 't.id, t.type, t.booking_id, t.candidate_tg_id, t.status, t.attempts, left(t.last_error, 60) AS last_error, t.created_at, t.next_retry_at';

export async function run(ctx: Context, opts: RetryFailedOptions): Promise<RetryFailedResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  if (opts.type !== undefined && opts.type.trim() === '') throw new UsageError('--type must not be empty (leave it out for every type)');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const predicate = sqlText('support/where-outbox-failed');
  const set = sqlText('support/outbox-requeue-set');
  const params = { type: opts.type ?? null, failedStatus: OUTBOX_FAILED, pendingStatus: OUTBOX_PENDING };
  const { ids, rows } = await planRows(db, 'outbox_notifications', predicate, params, opts.sample ?? 20, SAMPLE_COLUMNS);
  const count = ids.length;
  const where = pageWhere(predicate);
  const of = opts.type ? ` of type ${opts.type}` : '';
  const summary =
    count === 0
      ? `no failed outbox row${of} without a retry ahead`
      : `put ${count} failed outbox row(s)${of} with no retry ahead back to pending`;
  const plan: RetryFailedPlan = {
    summary,
    count,
    type: opts.type ?? null,
    batchSize,
    sample: { table: 'outbox_notifications', total: count, rows },
    statements: shownPlan('outbox_notifications', predicate, params, batchSize, shownUpdate('outbox_notifications', set, where, { ...params, ids: shortList(ids.slice(0, batchSize)) })),
  };
  return runDestructive(ctx, {
    action: 'outbox.retry-failed',
    plan: { describe: summary, preview: plan, empty: count === 0 },
    apply: (applier) =>
      inBatches(applier, ids, batchSize, async (trx, op, page) => (await updateArchived(trx, op, 'outbox_notifications', set, where, { ...params, ids: page })).updated),
    summary: (r) => ({ requeued: r.rows, batches: r.batches, type: opts.type ?? null }),
  });
}

export function render(r: RetryFailedResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [`${out.c.green('requeued')} ${res.rows} failed outbox row(s) in ${res.batches} batch(es), archived; the worker picks them up now`],
  });
}
