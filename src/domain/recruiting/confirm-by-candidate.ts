/**
 * The candidate confirms an approved slot ("Подтверждаю", seed 002). Only the slot's current
 * candidate can; "already confirmed" is decided by the slot itself (status
 * confirmed_by_candidate and this candidate), never by a notification log, so a stale log of a
 * previous candidate cannot answer for the new one. Under the slot lock: booked becomes
 * confirmed_by_candidate; other candidates' logs are archived away; this candidate's
 * confirmation log is recorded; the confirmation message is enqueued once.
 */
import type { Knex } from 'knex';
import { ConflictError } from '../../errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { SLOT_CONFIRMED_BY_CANDIDATE, SLOT_PENDING } from '../statuses.js';
import { rule } from '../db.js';
import { enqueueOutbox, type EnqueueResult } from '../outbox/enqueue.js';
import { requireId, requireTgId } from '../validate.js';
import { strip } from './approve-slot.js';
import { archiveStaleLogs, logsKeyedByCandidate, recordLog, type RecordedLog } from './notification-logs.js';
import { LOG_TYPES, OUTBOX_TYPES } from './notification-types.js';
import { lockSlot } from './slot-lock.js';
import type { NotificationLogRow, SlotRow } from './types.js';

export interface ConfirmByCandidateResult {
  slot: SlotRow;
  /** The slot was already confirmed by this candidate; nothing changed, nothing sent twice. */
  alreadyConfirmed: boolean;
  log: RecordedLog;
  archivedLogs: NotificationLogRow[];
  outbox: EnqueueResult;
}

export async function confirmByCandidate(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  input: { slotId: number; candidateTgId: number },
): Promise<ConfirmByCandidateResult> {
  const slotId = requireId('slotId', input.slotId);
  const candidateTgId = requireTgId('candidateTgId', input.candidateTgId);
  return rule(async () => {
    const locked = await lockSlot(trx, slotId);
    const status = locked.status.toLowerCase();
    if (!locked.active || locked.candidate_tg_id !== candidateTgId) {
      throw new ConflictError(
        locked.candidate_tg_id === null
          ? `slot ${slotId} is not held by anyone (status '${locked.status}'); candidate ${candidateTgId} cannot confirm it`
          : `slot ${slotId} is held by another candidate; candidate ${candidateTgId} cannot confirm it`,
        { details: { slotId, candidateTgId, status: locked.status, reason: 'not_holder' } },
      );
    }
    if (status === SLOT_PENDING) {
      throw new ConflictError(`slot ${slotId} is not approved by the recruiter yet; nothing to confirm`, {
        details: { slotId, candidateTgId, status: locked.status, reason: 'not_approved' },
      });
    }
    const alreadyConfirmed = status === SLOT_CONFIRMED_BY_CANDIDATE;
    let slot: SlotRow = strip(locked);
    if (!alreadyConfirmed) {
      await archiveBeforeUpdate(trx, op, 'slots', sqlText('recruiting/where-slot'), { slotId });
      [slot] = await runSql<SlotRow>(trx, 'recruiting/set-slot-status', { slotId, status: SLOT_CONFIRMED_BY_CANDIDATE });
    }
    const keyed = await logsKeyedByCandidate(trx);
    const archivedLogs = await archiveStaleLogs(trx, op, slotId, candidateTgId, keyed);
    const log = await recordLog(trx, op, slotId, candidateTgId, LOG_TYPES.candidateConfirmed, keyed);
    const outbox = await enqueueOutbox(trx, {
      type: OUTBOX_TYPES.candidateConfirmed,
      bookingId: slotId,
      candidateTgId,
      recruiterTgId: locked.recruiter_tg_id,
      payload: { slot_id: slotId, start_utc: new Date(locked.start_utc).toISOString(), candidate_tg_id: candidateTgId },
    }, op);
    return { slot, alreadyConfirmed, log, archivedLogs, outbox };
  });
}
