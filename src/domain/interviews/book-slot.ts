/**
 * Booking an interview time slot (seed 000). Refused while an active interview (pending,
 * confirmed) holds the slot. Under the legacy key, which counts cancelled rows too, the
 * cancelled interviews of the slot are archived away first, in the same transaction (what the
 * bot's fix did, but with an undo); after migration 0002 the insert simply succeeds and the
 * history stays.
 *
 * Race-freedom: the insert decides (INSERT … WHERE NOT EXISTS an active one), and the unique key
 * settles concurrent bookings: a second insert waits for the first and fails with 23505, which
 * is "taken". Under the legacy key, a concurrent booker's DELETE of the same cancelled rows
 * waits for the first booker and then finds them gone; its insert then sees the new interview.
 * With no unique key at all (a database bookops did not migrate), bookings of the slot are
 * serialised on the slot's row lock instead.
 */
import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../../errors.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveInserted, deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { INTERVIEW_CANCELLED, params as statusParams } from '../statuses.js';
import { rule } from '../db.js';
import { requireId, requireTgId } from '../validate.js';
import { interviewKeyShape } from './schema-shape.js';
import type { InterviewRow } from './types.js';

export interface BookSlotInput {
  slotId: number;
  userTgId: number;
  /** Status of the new interview: the bot books as 'confirmed' (seed 000). */
  status?: 'pending' | 'confirmed';
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

interface Holder {
  id: number;
  bot_user_id: number;
  status: string;
  active: boolean;
}

export async function bookSlot(trx: Knex.Transaction, op: ArchiveOperation, input: BookSlotInput): Promise<BookSlotResult> {
  const slotId = requireId('slotId', input.slotId);
  const userTgId = requireTgId('userTgId', input.userTgId);
  const status = input.status ?? 'confirmed';
  const base = { slotId, interviewActive: statusParams.interviewActive, cancelledStatus: INTERVIEW_CANCELLED };
  const taken = (h: Holder | undefined, cause?: unknown) =>
    new ConflictError(
      h && !h.active
        ? `time slot ${slotId} is held by interview ${h.id} with status '${h.status}' under the legacy unique key; only cancelled interviews are cleared`
        : `time slot ${slotId} is taken${h ? `: interview ${h.id} (${h.status}) of user ${h.bot_user_id}${h.bot_user_id === userTgId ? ', the same user' : ''}` : ''}`,
      { cause, details: { slotId, reason: 'taken', holder: h ?? null, sameUser: h?.bot_user_id === userTgId } },
    );

  return rule(
    async () => {
      const shape = await interviewKeyShape(trx);
      const [slot] = await runSql<{ id: number; interviewer_id: number }>(
        trx,
        shape.anyKey ? 'interviews/find-time-slot' : 'interviews/lock-time-slot',
        { slotId },
      );
      if (!slot) throw new NotFoundError(`time slot ${slotId} does not exist`);
      let archived: InterviewRow[] = [];
      if (shape.legacyKey) {
        // Nothing to clear while an active interview holds the slot: refuse without touching the
        // cancelled rows (the insert below would refuse anyway; this only saves the archiving).
        const [active] = await runSql<Holder>(trx, 'interviews/slot-holders', base);
        if (active) throw taken(active);
        archived = await deleteArchived<InterviewRow>(trx, op, 'interviews', sqlText('interviews/where-cancelled-of-slot'), base);
      }
      const [interview] = await runSql<InterviewRow>(trx, 'interviews/insert-if-free', {
        ...base,
        interviewerId: slot.interviewer_id,
        userTgId,
        status,
      });
      if (!interview) {
        const [holder] = await runSql<Holder>(trx, 'interviews/slot-holders', base);
        throw taken(holder);
      }
      // Recorded so that `archive restore` of this operation removes the new interview again.
      await archiveInserted(trx, op, 'interviews', sqlText('archive/where-id'), { ids: [interview.id] });
      return {
        interview,
        archivedCancelledIds: archived.map((r) => r.id),
        legacyPath: shape.legacyKey,
        keys: shape.keys.map((k) => k.constraint_name ?? k.index_name),
      };
    },
    {
      // A concurrent booking won (or, under the legacy key, a row that is neither active nor
      // cancelled still holds the slot).
      [SQLSTATE.UNIQUE_VIOLATION]: (err) => taken(undefined, err),
      // The slot was deleted after it was found.
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
