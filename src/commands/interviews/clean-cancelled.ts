/**
 * bookops interviews clean-cancelled: archives and deletes the cancelled interviews that block
 * rebooking their slot while the legacy UNIQUE (time_slot_id) counts them (seed 000). After
 * migration 0002 nothing blocks any more and the cancelled rows are history: it says so and
 * changes nothing. Set-based, in committed keyset batches under one archive operation.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { deleteArchivedCount } from '../../archive/archive.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { NotFoundError } from '../../errors.js';
import { interviewKeyShape } from '../../domain/interviews/index.js';
import type { InterviewRow } from '../../domain/interviews/index.js';
import { INTERVIEW_CANCELLED, params as statusParams } from '../../domain/statuses.js';
import { DEFAULT_BATCH_SIZE, inBatches, pageWhere, planRows, shortList, shownDelete, shownPlan, type BatchesResult } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { requireId } from '../../domain/validate.js';

export interface CleanCancelledOptions {
  slot?: number;
  /** Milliseconds: only interviews cancelled longer ago than this. */
  olderThan?: number;
  batchSize?: number;
  sample?: number;
}

export interface CleanCancelledPlan extends ShownPlan {
  /** A unique key on interviews (time_slot_id) without a predicate exists (the legacy one). */
  legacyKey: boolean;
  keys: string[];
  count: number;
  cutoff: string | null;
  batchSize: number;
}

export type CleanCancelledResult = DestructiveResult<CleanCancelledPlan, BatchesResult>;

export async function run(ctx: Context, opts: CleanCancelledOptions): Promise<CleanCancelledResult> {
  const db = await ctx.db();
  await requireModule(db, 'interviews');
  const batchSize = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (opts.slot !== undefined) {
    requireId('--slot', opts.slot);
    const [slot] = await runSql(db, 'interviews/find-time-slot', { slotId: opts.slot });
    if (!slot) throw new NotFoundError(`time slot ${opts.slot} does not exist`);
  }
  const shape = await interviewKeyShape(db);
  const keys = shape.keys.map((k) => k.constraint_name ?? k.index_name);
  const scope = opts.slot !== undefined ? ` of time slot ${opts.slot}` : '';
  if (!shape.legacyKey) {
    const summary = `nothing blocks rebooking here: interviews (time_slot_id) is unique only among active interviews (${keys.join(', ') || 'no key'}), so cancelled interviews${scope} are history and stay`;
    return runDestructive(ctx, {
      action: 'interviews.clean-cancelled',
      plan: { describe: summary, empty: true, preview: { summary, legacyKey: false, keys, count: 0, cutoff: null, batchSize } },
      apply: async () => ({ rows: 0, batches: 0 }),
    });
  }

  const cutoff = opts.olderThan === undefined ? null : (await runSql<{ cutoff: string }>(db, 'support/cutoff', { olderThanMs: opts.olderThan }))[0].cutoff;
  const params = {
    slotId: opts.slot ?? null,
    cutoff,
    cancelledStatus: INTERVIEW_CANCELLED,
    interviewActive: statusParams.interviewActive,
  };
  const predicate = sqlText('support/where-cancelled-blocking');
  const { ids, rows: sampleRows } = await planRows(db, 'interviews', predicate, params, opts.sample ?? 20);
  const count = ids.length;
  const where = pageWhere(predicate);
  const older = cutoff ? `, cancelled before ${cutoff}` : '';
  const summary =
    count === 0
      ? `no cancelled interview${scope} blocks its slot${older ? ` (cancelled before ${cutoff})` : ''}`
      : `archive and delete ${count} cancelled interview(s)${scope}${older} that block rebooking under the legacy key ${keys.join(', ')}`;
  const plan: CleanCancelledPlan = {
    summary,
    legacyKey: true,
    keys,
    count,
    cutoff,
    batchSize,
    sample: { table: 'interviews', total: count, rows: sampleRows },
    statements: shownPlan('interviews', predicate, params, batchSize, shownDelete('interviews', where, { ...params, ids: shortList(ids.slice(0, batchSize)) })),
  };

  return runDestructive(ctx, {
    action: 'interviews.clean-cancelled',
    plan: { describe: summary, preview: plan, empty: count === 0 },
    apply: (applier) =>
      inBatches(applier, ids, batchSize, async (trx, op, page) => deleteArchivedCount(trx, op, 'interviews', where, { ...params, ids: page })),
    summary: (r) => ({ deleted: r.rows, batches: r.batches, slot: opts.slot ?? null, cutoff }),
  });
}

export function render(r: CleanCancelledResult, out: Output): void {
  renderDestructive(r, out, {
    done: (result) => [
      `${out.c.green('deleted')} ${result.rows} cancelled interview(s) in ${result.batches} batch(es), archived; their slots can be booked again`,
    ],
  });
}
