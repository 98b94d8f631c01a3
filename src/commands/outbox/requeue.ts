/**
 * bookops outbox requeue <id...>: puts named outbox rows back to pending for the worker to pick
 * up now (attempts reset, lock and retry time cleared; last_error kept). Allowed for failed rows,
 * unlocked pending rows and pending rows locked longer ago than --locked-for (a worker died
 * holding them: audit outbox.stuck). A sent row would be sent twice, and a row a worker locked
 * recently is being sent right now: the whole command refuses (exit 6) and changes nothing.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { OUTBOX_FAILED, OUTBOX_PENDING } from '../../domain/statuses.js';
import { DEFAULT_BATCH_SIZE, inBatches, shownUpdate, someOf, updateArchived } from '../shared/batches.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { requireId } from '../../domain/validate.js';

export interface RequeueOptions {
  ids: number[];
  lockedFor?: number;
}

interface NamedRow {
  id: number;
  type: string;
  booking_id: number | null;
  candidate_tg_id: number | null;
  status: string;
  attempts: number;
  locked_at: Date | null;
  next_retry_at: Date | null;
  last_error: string | null;
  state: string;
}

export interface RequeuePlan extends ShownPlan {
  ids: number[];
  lockedForMs: number;
}

export type RequeueResult = DestructiveResult<RequeuePlan, { requeued: number }>;

export const LOCKED_FOR_MS = 15 * 60_000;

export async function run(ctx: Context, opts: RequeueOptions): Promise<RequeueResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  const ids = [...new Set(opts.ids.map((id) => requireId('outbox id', id)))];
  const lockedForMs = opts.lockedFor ?? LOCKED_FOR_MS;
  const params = { ids, lockedForMs, failedStatus: OUTBOX_FAILED, pendingStatus: OUTBOX_PENDING };
  const rows = await runSql<NamedRow>(db, 'support/outbox-by-ids', params);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    // Cut: a mistyped range (requeue $(seq …)) must not print every id it did not find.
    throw new NotFoundError(`outbox row(s) ${someOf(missing)} do not exist; nothing was changed`, { details: { missing: missing.length } });
  }
  const refused = rows.filter((r) => !['failed', 'pending', 'stuck'].includes(r.state));
  if (refused.length > 0) {
    const why = refused.map((r) => `${r.id} is ${r.state === 'in-flight' ? `being sent (locked at ${new Date(r.locked_at!).toISOString()})` : r.state}`);
    throw new ConflictError(`cannot requeue: ${someOf(why, 20, '; ')}; nothing was changed`, {
      hint: 'a sent row would be sent twice; a row locked less than --locked-for ago is in a worker’s hands',
      details: { refused: refused.map((r) => ({ id: r.id, state: r.state })) },
    });
  }
  const where = sqlText('support/where-outbox-requeue');
  const set = sqlText('support/outbox-requeue-set');
  const summary = `put ${rows.length} outbox row(s) back to pending (${someOf(rows.map((r) => `${r.id}: ${r.state}`))})`;
  const plan: RequeuePlan = {
    summary,
    ids,
    lockedForMs,
    sample: { table: 'outbox_notifications', total: rows.length, rows: rows as unknown as Record<string, unknown>[] },
    statements: [shownUpdate('outbox_notifications', set, where, { ...params, pendingStatus: OUTBOX_PENDING })],
  };
  return runDestructive(ctx, {
    action: 'outbox.requeue',
    plan: { describe: summary, preview: plan, empty: false },
    apply: async (applier) => {
      const r = await inBatches(applier, ids, DEFAULT_BATCH_SIZE, async (trx, op, page) =>
        (await updateArchived(trx, op, 'outbox_notifications', set, where, { ...params, ids: page })).updated,
      );
      return { requeued: r.rows };
    },
    summary: (r) => ({ ids, requeued: r.requeued }),
  });
}

export function render(r: RequeueResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [
      `${out.c.green('requeued')} ${res.requeued} outbox row(s)${res.requeued < r.plan.ids.length ? ` (${r.plan.ids.length - res.requeued} changed meanwhile and were left alone)` : ''}`,
    ],
  });
}
