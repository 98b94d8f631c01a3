/**
 * The recruiter approves a reserved slot ("Согласовано", seed 002). Under the slot lock: pending
 * becomes booked; the slot's notification logs that are not the current candidate's are archived
 * away (a log of the previous candidate must not silence this one, seed 002 P0); this candidate's
 * log is recorded; this candidate's earlier messages about the slot are superseded (archived: see
 * supersede-messages.ts); the approval message is enqueued exactly once (outbox key); reminder jobs are
 * scheduled idempotently. Approving again changes nothing and sends nothing twice.
 */
import type { Knex } from 'knex';
import { ConflictError } from '../../errors.js';
import { sqlText, runSql } from '../../data/sql-files.js';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { SLOT_BOOKED, SLOT_PENDING } from '../statuses.js';
import { rule } from '../db.js';
import { enqueueOutbox, type EnqueueResult } from '../outbox/enqueue.js';
import { requireId } from '../validate.js';
import { archiveStaleLogs, logsKeyedByCandidate, recordLog, type RecordedLog } from './notification-logs.js';
import { LOG_TYPES, OUTBOX_TYPES } from './notification-types.js';
import { scheduleReminders, type ReminderSchedule } from './reminders.js';
import { lockSlot } from './slot-lock.js';
import { supersededOnApprove, supersedeMessages, type SupersededMessage } from './supersede-messages.js';
import type { NotificationLogRow, SlotRow } from './types.js';

export interface ApproveSlotResult {
  slot: SlotRow;
  candidateTgId: number;
  /** pending -> booked happened now (false: it was already booked or confirmed). */
  statusChanged: boolean;
  log: RecordedLog;
  /** Logs of other candidates (or without one) archived and deleted. */
  archivedLogs: NotificationLogRow[];
  /** This candidate's earlier messages about the slot, archived and deleted (supersede-messages.ts). */
  supersededMessages: SupersededMessage[];
  outbox: EnqueueResult;
  reminders: ReminderSchedule;
  /** notification_logs keyed by candidate (migration 0004) or the legacy (type, booking_id). */
  logsKeyedByCandidate: boolean;
}

export async function approveSlot(trx: Knex.Transaction, op: ArchiveOperation, input: { slotId: number }): Promise<ApproveSlotResult> {
  const slotId = requireId('slotId', input.slotId);
  return rule(async () => {
    const locked = await lockSlot(trx, slotId);
    if (!locked.active || locked.candidate_tg_id === null) {
      throw new ConflictError(`slot ${slotId} has no candidate to approve (status '${locked.status}')`, {
        details: { slotId, status: locked.status, candidateTgId: locked.candidate_tg_id },
      });
    }
    const candidateTgId = locked.candidate_tg_id;
    let slot: SlotRow = locked;
    const statusChanged = locked.status.toLowerCase() === SLOT_PENDING;
    if (statusChanged) {
      await archiveBeforeUpdate(trx, op, 'slots', sqlText('recruiting/where-slot'), { slotId });
      [slot] = await runSql<SlotRow>(trx, 'recruiting/set-slot-status', { slotId, status: SLOT_BOOKED });
    }
    const keyed = await logsKeyedByCandidate(trx);
    const archivedLogs = await archiveStaleLogs(trx, op, slotId, candidateTgId, keyed);
    const log = await recordLog(trx, op, slotId, candidateTgId, LOG_TYPES.approved, keyed);
    const supersededMessages = await supersedeMessages(trx, op, slotId, candidateTgId, supersededOnApprove(statusChanged));
    const outbox = await enqueueOutbox(trx, {
      type: OUTBOX_TYPES.approved,
      bookingId: slotId,
      candidateTgId,
      recruiterTgId: locked.recruiter_tg_id,
      payload: { slot_id: slotId, start_utc: new Date(slot.start_utc).toISOString(), duration_min: slot.duration_min, candidate_tg_id: candidateTgId },
    }, op);
    const reminders = await scheduleReminders(trx, op, slotId);
    return { slot: strip(slot), candidateTgId, statusChanged, log, archivedLogs, supersededMessages, outbox, reminders, logsKeyedByCandidate: keyed };
  });
}

/** A LockedSlot without the lock query's extra columns. */
export function strip(slot: SlotRow): SlotRow {
  const { recruiter_tg_id: _r, active: _a, ...rest } = slot as SlotRow & { recruiter_tg_id?: unknown; active?: unknown };
  return rest;
}
