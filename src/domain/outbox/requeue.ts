/**
 * outbox requeue <id...>: puts named outbox rows back to pending for the worker to pick up now
 * (attempts reset, lock and retry time cleared; last_error kept). Allowed for failed rows,
 * unlocked pending rows and pending rows locked longer ago than --locked-for (a worker died
 * holding them: audit outbox.stuck). A sent row would be sent twice, and a row a worker locked
 * recently is being sent right now: the whole command refuses (exit 6) and changes nothing.
 */
import { inBatches, type Applier } from '../../archive/applier.js';
import { applyChange, shownStatements, type RowChange, type ShownStatement } from '../../archive/changes.js';
import * as outbox from '../../data/outbox.repository.js';
import { STUCK_DEFAULTS } from '../../data/outbox.repository.js';
import type { Db } from '../../data/sql.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { requireModule } from '../require-module.js';
import { PREVIEW_ROWS } from '../preview-rows.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { requireId } from '../validate.js';
import { DEFAULT_BATCH_SIZE } from './dedupe.js';
import { archiving } from '../planned.js';

export interface RequeueInput {
  ids: number[];
  lockedForMs?: number;
}

export interface RequeuePlan extends PlanBase {
  ids: number[];
  lockedForMs: number;
  change: RowChange;
  statements: ShownStatement[];
}

/** A list in a one-line message, cut after `n`: "12, 13, 14 and 977 more". */
export function someOf(items: Array<number | string>, n = 20, separator = ', '): string {
  return items.length > n ? `${items.slice(0, n).join(separator)} and ${items.length - n} more` : items.join(separator);
}

export async function planRequeue(db: Db, input: RequeueInput): Promise<RequeuePlan> {
  await requireModule(db, 'recruiting');
  const ids = [...new Set(input.ids.map((id) => requireId('outbox id', id)))];
  const lockedForMs = input.lockedForMs ?? STUCK_DEFAULTS.lockedForMs;
  const rows = await outbox.requeueStates(db, ids, lockedForMs);
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
  const change: RowChange = { table: 'outbox_notifications', change: 'update', where: outbox.requeueNamed(), set: outbox.backToPending(), params: { ids, lockedForMs } };
  return {
    summary: `put ${rows.length} outbox row(s) back to pending (${someOf(rows.map((r) => `${r.id}: ${r.state}`))})`,
    empty: false,
    archives: archiving(change.table, change.change, rows.length),
    ids,
    lockedForMs,
    change,
    // The first rows, as every preview: a requeue of $(seq …) must not draw every row it names.
    sample: { table: 'outbox_notifications', total: rows.length, rows: rows.slice(0, PREVIEW_ROWS) as unknown as Record<string, unknown>[] },
    statements: shownStatements(db, { ...change, params: { ...change.params, ids: ids.slice(0, DEFAULT_BATCH_SIZE) } }, 'the named rows, re-checked under their lock', 'count'),
  };
}

export const requeueOutbox: DestructiveRule<RequeueInput, RequeuePlan, { requeued: number }> = {
  action: 'outbox.requeue',
  doing: 'requeueing stuck outbox messages',
  unit: 'messages',
  plan: planRequeue,
  async apply(applier: Applier, plan) {
    const r = await inBatches(applier, plan.ids, DEFAULT_BATCH_SIZE, async (trx, op, page) =>
      (await applyChange(trx, op, { ...plan.change, params: { ...plan.change.params, ids: page } }, 'count')).count,
    );
    return { requeued: r.rows };
  },
  summary: (r, plan) => ({ ids: plan.ids, requeued: r.requeued }),
};
