/**
 * The candidate confirms an approved slot ("Подтверждаю", seed 002). Only the slot's current
 * candidate can; "already confirmed" is decided by the slot itself (status
 * confirmed_by_candidate and this candidate), never by a notification log, so a stale log of a
 * previous candidate cannot answer for the new one. Under the slot lock: booked becomes
 * confirmed_by_candidate; other candidates' logs are archived away; this candidate's
 * confirmation log is recorded; the confirmation message is enqueued once.
 */
import type { Knex } from 'knex';
import { applyChange } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { NotificationLogRow, SlotRow } from '../../data/recruiting.repository.js';
import { ConflictError } from '../../errors.js';
import { LOG_TYPES, OUTBOX_TYPES } from '../../platform/messages.js';
import { isStatus, SLOT_CONFIRMED_BY_CANDIDATE, SLOT_PENDING } from '../../platform/statuses.js';
import { enqueueOutbox, type EnqueueResult } from '../outbox/enqueue.js';
import { requireId, requireTgId } from '../validate.js';
import { logParams, logsKeyedByCandidate, recordLog, staleLogsChange, type RecordedLog } from './notification-logs.js';
import { lockSlot, strip } from './slot.js';

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
  return translated(async () => {
    const locked = await lockSlot(trx, slotId);
    if (!locked.active || locked.candidate_tg_id !== candidateTgId) {
      throw new ConflictError(
        locked.candidate_tg_id === null
          ? `slot ${slotId} is not held by anyone (status '${locked.status}'); candidate ${candidateTgId} cannot confirm it`
          : `slot ${slotId} is held by another candidate; candidate ${candidateTgId} cannot confirm it`,
        { details: { slotId, candidateTgId, status: locked.status, reason: 'not_holder' } },
      );
    }
    if (isStatus(locked.status, SLOT_PENDING)) {
      throw new ConflictError(`slot ${slotId} is not approved by the recruiter yet; nothing to confirm`, {
        details: { slotId, candidateTgId, status: locked.status, reason: 'not_approved' },
      });
    }
    const alreadyConfirmed = isStatus(locked.status, SLOT_CONFIRMED_BY_CANDIDATE);
    let slot: SlotRow = strip(locked);
    if (!alreadyConfirmed) {
      await applyChange(trx, op, { table: 'slots', change: 'update', where: recruiting.slot(), set: recruiting.setStatus(), params: { slotId, status: SLOT_CONFIRMED_BY_CANDIDATE } });
      slot = (await recruiting.slotRow(trx, slotId))!;
    }
    const keyed = await logsKeyedByCandidate(trx);
    const archivedLogs = (await applyChange<NotificationLogRow>(trx, op, staleLogsChange(keyed, slotId, candidateTgId))).rows;
    const log = await recordLog(trx, op, keyed, logParams(slotId, candidateTgId, LOG_TYPES.candidateConfirmed));
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
