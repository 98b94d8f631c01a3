/**
 * Booking an interview time slot (seed 000; support's `interviews rebook`). Refused while an
 * active interview (pending, confirmed) holds the slot. Under the legacy key, which counts
 * cancelled rows too, the cancelled interviews of the slot are archived away first, in the same
 * transaction (what the bot's fix did, but with an undo); after migration 0002 the insert simply
 * succeeds and the history stays.
 *
 * Race-freedom: the insert decides (INSERT … WHERE NOT EXISTS an active one), and the unique key
 * settles concurrent bookings: a second insert waits for the first and fails with 23505, which
 * is "taken". Under the legacy key, a concurrent booker's DELETE of the same cancelled rows
 * waits for the first booker and then finds them gone; its insert then sees the new interview.
 * With no unique key at all (a database bookops did not migrate), bookings of the slot are
 * serialised on the slot's row lock instead.
 */
import type { Knex } from 'knex';
import type { Applier } from '../../archive/applier.js';
import { recordInserted, show, shownRecordInserted, type ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import * as interviews from '../../data/interviews.repository.js';
import type { Holder, InterviewRow } from '../../data/interviews.repository.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import { runStatement, type Db } from '../../data/sql.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { applyChanges, archivesOf, previewed, statementsOf, type PlannedChange, type PreviewOptions } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { requireId, requireTgId } from '../validate.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export interface BookSlotInput {
  slotId: number;
  userTgId: number;
  /** Status of the new interview: the bot books as 'confirmed' (seed 000). */
  status?: 'pending' | 'confirmed';
}

export interface BookPlan extends PlanBase {
  slotId: number;
  userTgId: number;
  status: 'pending' | 'confirmed';
  /** A legacy (predicate-less) unique key exists: cancelled rows block and are archived first. */
  legacyKey: boolean;
  /** Some unique key covers the slot (it serialises bookings); without one they are serialised on the slot's row lock. */
  anyKey: boolean;
  keys: string[];
  /** Cancelled interviews the rule will archive and delete (legacy key only). */
  cancelledToArchive: number[];
  /** Cancelled interviews that stay as history (migrated schema). */
  cancelledKept: number[];
  interviewerId: number;
  changes: PlannedChange[];
  steps: string[];
  statements: ShownStatement[];
}

export interface BookSlotResult {
  interview: InterviewRow;
  /** Cancelled interviews of the slot archived and deleted to make room (legacy key only). */
  archivedCancelledIds: number[];
  /** True when a legacy unique key was found and cancelled rows had to go for the insert. */
  legacyPath: boolean;
  /** The unique keys on interviews (time_slot_id) found in the catalog, for the explanation. */
  keys: string[];
}

/** The slot is held (by an active interview, or under the legacy key by any row that is not cancelled): nothing was changed. */
function taken(slotId: number, userTgId: number, h: Holder | undefined, cause?: unknown, hint?: string): ConflictError {
  return new ConflictError(
    (h && !h.active
      ? `time slot ${slotId} is held by interview ${h.id} with status '${h.status}' under the legacy unique key; only cancelled interviews are cleared`
      : `time slot ${slotId} is taken${h ? `: interview ${h.id} (${h.status}) of user ${h.bot_user_id}${Number(h.bot_user_id) === userTgId ? ', the same user' : ''}` : ''}`) +
      '; nothing was changed',
    { cause, hint, details: { slotId, reason: 'taken', holder: h ?? null, sameUser: Number(h?.bot_user_id) === userTgId } },
  );
}

export async function planBookSlot(db: Db, input: BookSlotInput, opts: PreviewOptions = {}): Promise<BookPlan> {
  const slotId = requireId('slotId', input.slotId);
  const userTgId = requireTgId('userTgId', input.userTgId);
  const status = input.status ?? 'confirmed';
  const rows = await interviews.timeSlotInterviews(db, slotId);
  if (rows.length === 0) throw new NotFoundError(`time slot ${slotId} does not exist`);
  const all = rows.filter((r) => r.id !== null);
  const holder = all.find((r) => r.active);
  if (holder) throw taken(slotId, userTgId, { id: holder.id!, bot_user_id: Number(holder.bot_user_id), status: holder.status!, active: true }, undefined, `cancel interview ${holder.id} first if it should go`);
  const shape = await interviews.interviewKeyShape(db);
  const cancelled = all.filter((r) => r.cancelled).map((r) => Number(r.id));
  const other = all.filter((r) => !r.cancelled);
  if (shape.legacyKey && other.length > 0) {
    throw taken(slotId, userTgId, { id: other[0].id!, bot_user_id: Number(other[0].bot_user_id), status: other[0].status!, active: false });
  }
  const toArchive = shape.legacyKey ? cancelled : [];
  const keys = shape.names;
  const changes = await previewed(
    db,
    shape.legacyKey ? [{ role: 'cancelled', table: 'interviews', change: 'delete' as const, where: interviews.cancelledOfSlot(), params: { slotId } }] : [],
    opts,
  );
  const insert = interviews.insertIfFreeStatement({ slotId, interviewerId: rows[0].interviewer_id, userTgId, status });
  return {
    summary:
      `book time slot ${slotId} for user ${userTgId} (a new ${status} interview)` +
      (toArchive.length > 0
        ? `, archiving and deleting ${toArchive.length} cancelled interview(s) (${toArchive.join(', ')}) that block it under the legacy key ${keys.join(', ')}`
        : cancelled.length > 0
          ? `; its ${cancelled.length} cancelled interview(s) stay as history (${keys.join(', ') || 'no key'} counts active interviews only)`
          : ''),
    empty: false,
    archives: archivesOf(changes),
    slotId,
    userTgId,
    status,
    legacyKey: shape.legacyKey,
    anyKey: shape.anyKey,
    keys,
    cancelledToArchive: toArchive,
    cancelledKept: shape.legacyKey ? [] : cancelled,
    interviewerId: rows[0].interviewer_id,
    changes,
    sample: { table: 'interviews', total: all.length, rows: all.map(({ time_slot_id: _t, ...r }) => r) },
    steps: [
      `find the unique keys on interviews (time_slot_id) in the catalog: ${keys.join(', ') || 'none'}${shape.legacyKey ? ' (legacy: counts cancelled rows)' : ''}`,
      ...(shape.legacyKey ? [`archive and delete the cancelled interviews of slot ${slotId}: ${toArchive.length}`] : []),
      `insert interview (slot ${slotId}, user ${userTgId}, ${status}) unless an active interview holds the slot (the unique key settles races)`,
    ],
    statements: [...statementsOf(db, changes), show(db, insert, `insert the interview unless an active one holds the slot`), shownRecordInserted(db, 'interviews')],
  };
}

export async function applyBookSlot(trx: Knex.Transaction, op: ArchiveOperation, plan: BookPlan): Promise<BookSlotResult> {
  const { slotId, userTgId } = plan;
  return translated(
    async () => {
      // Without any unique key nothing else stops two concurrent bookings: they queue on the slot's row.
      const slot = plan.anyKey ? await interviews.findTimeSlot(trx, slotId) : await interviews.lockTimeSlot(trx, slotId);
      if (!slot) throw new NotFoundError(`time slot ${slotId} does not exist`);
      let archived: number[] = [];
      if (plan.legacyKey) {
        // Nothing to clear while an active interview holds the slot: refuse without touching the
        // cancelled rows (the insert below would refuse anyway; this only saves the archiving).
        const [active] = await interviews.slotHolders(trx, slotId);
        if (active) throw taken(slotId, userTgId, active);
        const done = await applyChanges(trx, op, plan.changes);
        archived = done.cancelled.rows.map((r) => Number(r.id));
      }
      const statement = interviews.insertIfFreeStatement({ slotId, interviewerId: plan.interviewerId, userTgId, status: plan.status });
      const [interview] = (await runStatement<InterviewRow>(trx, statement)).rows;
      if (!interview) throw taken(slotId, userTgId, (await interviews.slotHolders(trx, slotId))[0]);
      // Recorded so that `archive restore` of this operation removes the new interview again.
      await recordInserted(trx, op, 'interviews', [interview.id]);
      return { interview, archivedCancelledIds: archived, legacyPath: plan.legacyKey, keys: plan.keys };
    },
    {
      // A concurrent booking won (or, under the legacy key, a row that is neither active nor
      // cancelled still holds the slot).
      [SQLSTATE.UNIQUE_VIOLATION]: (err) => taken(slotId, userTgId, undefined, err),
      // The new interview's key to its slot: the slot went away meanwhile. Any other key: a table
      // bookops does not know still references the cancelled interviews this would clear.
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        err.table === 'interviews'
          ? new NotFoundError(`time slot ${slotId} does not exist`, { cause: err })
          : new ConflictError(`cannot clear the slot's cancelled interviews: rows of ${err.table ?? 'another table'} still reference them (${err.constraint ?? 'foreign key'}); nothing was changed`, {
              cause: err,
            }),
    },
  );
}

/** The rule as the bot calls it, in its transaction. */
export async function bookSlot(trx: Knex.Transaction, op: ArchiveOperation, input: BookSlotInput): Promise<BookSlotResult> {
  return translated(async () => applyBookSlot(trx, op, await planBookSlot(trx, input)));
}

/** `interviews rebook`: the booking rule with a preview and a confirmation. */
export const rebookSlot: DestructiveRule<BookSlotInput & { sample?: number }, BookPlan, BookSlotResult> = {
  action: 'interviews.rebook',
  doing: 'rebooking the slot',
  async plan(db, input) {
    await requireModule(db, 'interviews');
    return planBookSlot(db, input, { sample: input.sample ?? PREVIEW_ROWS });
  },
  apply: (applier: Applier, plan) => applier.transaction((trx, op) => applyBookSlot(trx, op, plan)),
  summary: (r, plan) => ({ slotId: plan.slotId, userTgId: plan.userTgId, interviewId: r.interview.id, archivedCancelledIds: r.archivedCancelledIds }),
};
