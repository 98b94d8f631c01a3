/**
 * The recruiter rejects a booking or takes the slot back for a reschedule (seeds 001/002). Under
 * the slot lock: the slot is freed (status free, candidate cleared); its notification logs and
 * reminder jobs are archived and deleted (the next candidate starts clean, seed 002 P0); that
 * candidate's earlier messages about the slot are superseded (archived: see
 * supersede-messages.ts), and the rejection message is enqueued once for them. Rejecting again is
 * not an error (seed 001): the slot is already free, and when the caller names the candidate
 * the enqueue returns the existing message as it is (sent or not) instead of a duplicate.
 */
import type { Knex } from 'knex';
import { ConflictError, UsageError } from '../../errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { SLOT_FREE, params as statusParams } from '../statuses.js';
import { rule } from '../db.js';
import { enqueueOutbox, type EnqueueResult } from '../outbox/enqueue.js';
import { optionalTgId, requireId } from '../validate.js';
import { strip } from './approve-slot.js';
import { archiveStaleLogs } from './notification-logs.js';
import { OUTBOX_TYPES } from './notification-types.js';
import { archiveAllReminders } from './reminders.js';
import { supersededOnRelease, supersedeMessages, type SupersededMessage } from './supersede-messages.js';
import { lockSlot, requireAsShown, type ExpectedSlot } from './slot-lock.js';
import type { NotificationLogRow, ReminderJobRow, SlotRow } from './types.js';

export type RejectReason = 'reject' | 'reschedule';

export interface RejectSlotInput {
  slotId: number;
  reason: RejectReason;
  /**
   * The candidate the rejection is for. Defaults to the slot's current candidate. Name it to
   * repeat a rejection of a slot that is already free (the message is then enqueued
   * idempotently); naming someone other than the slot's current candidate is refused.
   */
  candidateTgId?: number | null;
  /** The slot as the caller showed it (support's confirmation): refused if it changed since. */
  expected?: ExpectedSlot;
}

export interface RejectSlotResult {
  slot: SlotRow;
  /** The slot was held and is released now (false: nobody held it). A canceled slot stays canceled. */
  freed: boolean;
  /** Who the rejection is for (null: the slot was free and nobody was named). */
  candidateTgId: number | null;
  archivedLogs: NotificationLogRow[];
  archivedReminders: ReminderJobRow[];
  /** The candidate's earlier messages about the slot, archived and deleted (supersede-messages.ts). */
  supersededMessages: SupersededMessage[];
  /** The rejection message (null when there is no candidate to tell). */
  outbox: EnqueueResult | null;
}

export async function rejectSlot(trx: Knex.Transaction, op: ArchiveOperation, input: RejectSlotInput): Promise<RejectSlotResult> {
  const slotId = requireId('slotId', input.slotId);
  if (input.reason !== 'reject' && input.reason !== 'reschedule') {
    throw new UsageError(`reason must be 'reject' or 'reschedule', got ${JSON.stringify(input.reason)}`);
  }
  const named = optionalTgId('candidateTgId', input.candidateTgId);
  return rule(async () => {
    const locked = await lockSlot(trx, slotId);
    requireAsShown(locked, input.expected);
    const held = locked.active || locked.candidate_tg_id !== null;
    if (named !== null && locked.candidate_tg_id !== null && locked.candidate_tg_id !== named) {
      throw new ConflictError(`slot ${slotId} is now held by candidate ${locked.candidate_tg_id}, not ${named}; nothing was changed`, {
        details: { slotId, heldBy: locked.candidate_tg_id, named },
      });
    }
    const candidateTgId = named ?? locked.candidate_tg_id;
    let slot: SlotRow = strip(locked);
    if (held) {
      await archiveBeforeUpdate(trx, op, 'slots', sqlText('recruiting/where-slot'), { slotId });
      [slot] = await runSql<SlotRow>(trx, 'recruiting/free-slot', { slotId, freeStatus: SLOT_FREE, slotActive: statusParams.slotActive });
    }
    const archivedLogs = await archiveStaleLogs(trx, op, slotId, null, false);
    const archivedReminders = await archiveAllReminders(trx, op, slotId);
    const supersededMessages =
      candidateTgId === null ? [] : await supersedeMessages(trx, op, slotId, candidateTgId, supersededOnRelease(held));
    const outbox =
      candidateTgId === null
        ? null
        : await enqueueOutbox(trx, {
            type: input.reason === 'reject' ? OUTBOX_TYPES.rejected : OUTBOX_TYPES.rescheduled,
            bookingId: slotId,
            candidateTgId,
            recruiterTgId: locked.recruiter_tg_id,
            payload: { slot_id: slotId, reason: input.reason, start_utc: new Date(locked.start_utc).toISOString() },
          }, op);
    return { slot, freed: held, candidateTgId, archivedLogs, archivedReminders, supersededMessages, outbox };
  });
}
