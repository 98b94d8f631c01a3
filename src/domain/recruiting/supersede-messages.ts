/**
 * A decision about a slot supersedes the outbox messages of the opposite decision for the same
 * candidate: a release those of the approval (interview_confirmed, candidate_confirmed), an
 * approval those of a rejection or reschedule. They are archived and deleted, whatever their
 * status, for two reasons:
 * - one still pending must not be sent any more: the worker sends by next_retry_at, not in
 *   decision order, so an approval waiting for a retry would reach a candidate after their
 *   rejection (and a rejection after they were approved again);
 * - one already sent must not stand in for the new decision: the outbox key (type, booking,
 *   candidate) returns an existing row as it is (seed 001), so a candidate approved again after
 *   a reschedule would never be told. Its history stays in the archive (restore brings it back).
 * Repeating the same decision (rejecting twice) supersedes nothing and enqueues nothing twice.
 */
import type { Knex } from 'knex';
import { sqlText } from '../../data/sql-files.js';
import { deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { OUTBOX_PENDING } from '../statuses.js';
import { OUTBOX_TYPES } from './notification-types.js';

export interface SupersededMessage {
  id: number;
  type: string;
  status: string;
  candidate_tg_id: number;
  created_at: Date;
  /** It was still pending: it will never be sent. */
  undelivered: boolean;
}

/** The messages a rejection or reschedule supersedes: the approval and the confirmation. */
export const SUPERSEDED_ON_RELEASE = [OUTBOX_TYPES.approved, OUTBOX_TYPES.candidateConfirmed];
/** The messages an approval supersedes: an earlier rejection or reschedule of this slot. */
export const SUPERSEDED_ON_APPROVE = [OUTBOX_TYPES.rejected, OUTBOX_TYPES.rescheduled];

export async function supersedeMessages(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  slotId: number,
  candidateTgId: number,
  types: readonly string[],
): Promise<SupersededMessage[]> {
  const rows = await deleteArchived<Omit<SupersededMessage, 'undelivered'>>(trx, op, 'outbox_notifications', sqlText('recruiting/where-superseded-messages'), {
    slotId,
    candidateTgId,
    types: [...types],
  });
  return rows.sort((a, b) => a.id - b.id).map(({ id, type, status, candidate_tg_id, created_at }) => ({
    id,
    type,
    status,
    candidate_tg_id: Number(candidate_tg_id),
    created_at,
    undelivered: status.toLowerCase() === OUTBOX_PENDING,
  }));
}
