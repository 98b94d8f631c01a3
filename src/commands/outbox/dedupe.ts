/**
 * bookops outbox dedupe: one row per key (type, booking_id, candidate_tg_id), NULLs equal (seed
 * 001; the legacy UNIQUE lets NULL keys repeat). The row kept: a sent one (the message went out;
 * keeping a pending or failed copy instead would send it again), else a pending one (it will
 * still be delivered; keeping a failed copy would drop it), else the failed one; within a status
 * the oldest, which is the row the idempotent enqueue already treats as the key's. The plan
 * picks the rows in one scan; they are deleted in committed batches, each row only while its
 * key's kept row still exists.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { deleteArchivedCount } from '../../archive/archive.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { OUTBOX_PENDING, OUTBOX_SENT } from '../../domain/statuses.js';
import { chunks, DEFAULT_BATCH_SIZE, inBatches, shortList, shownDelete, type BatchesResult } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';

export interface DedupeOptions {
  batchSize?: number;
  sample?: number;
}

interface Duplicate {
  id: number;
  keep_id: number;
  type: string;
  booking_id: number | null;
  candidate_tg_id: number | null;
  status: string;
  attempts: number;
  created_at: Date;
}

export interface DedupePlan extends ShownPlan {
  rule: string;
  keys: number;
  count: number;
  batchSize: number;
}

export type DedupeResult = DestructiveResult<DedupePlan, BatchesResult>;

export const RULE = 'per key keep a sent row, else a pending one, else a failed one; within a status the oldest (lowest id)';

export async function run(ctx: Context, opts: DedupeOptions): Promise<DedupeResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  const doomed = await runSql<Duplicate>(db, 'support/outbox-duplicates', { sentStatus: OUTBOX_SENT, pendingStatus: OUTBOX_PENDING });
  const keys = new Set(doomed.map((d) => d.keep_id)).size;
  const summary =
    doomed.length === 0
      ? 'no duplicate outbox key (type, booking_id, candidate_tg_id)'
      : `archive and delete ${doomed.length} duplicate outbox row(s) of ${keys} key(s) (type, booking_id, candidate_tg_id), keeping one row per key`;
  const where = sqlText('support/where-outbox-dedupe');
  const first = chunks(doomed, batchSize)[0] ?? [];
  const plan: DedupePlan = {
    summary,
    rule: RULE,
    keys,
    count: doomed.length,
    batchSize,
    sample: { table: 'outbox_notifications', total: doomed.length, rows: doomed.slice(0, opts.sample ?? 20) as unknown as Record<string, unknown>[] },
    statements: [
      shownDelete(
        'outbox_notifications',
        where,
        { ids: shortList(first.map((d) => d.id)), keepIds: shortList([...new Set(first.map((d) => d.keep_id))]) },
        `one transaction per batch of ${batchSize} planned rows (the first batch shown)`,
      ),
    ],
  };
  return runDestructive(ctx, {
    action: 'outbox.dedupe',
    plan: { describe: summary, preview: plan, empty: doomed.length === 0 },
    apply: (applier) =>
      inBatches(applier, doomed, batchSize, async (trx, op, page) =>
        deleteArchivedCount(trx, op, 'outbox_notifications', where, { ids: page.map((d) => d.id), keepIds: [...new Set(page.map((d) => d.keep_id))] }),
      ),
    summary: (r) => ({ deleted: r.rows, batches: r.batches, keys }),
  });
}

export function render(r: DedupeResult, out: Output): void {
  renderDestructive(r, out, {
    details: (plan) => [`rule: ${plan.rule}`],
    done: (res) => [`${out.c.green('deleted')} ${res.rows} duplicate outbox row(s) of ${r.plan.keys} key(s) in ${res.batches} batch(es), archived`],
  });
}
