/**
 * Undelivered messages that a later decision about the slot makes wrong. An approval still
 * pending (perhaps waiting for a retry) must not reach a candidate after their rejection, and a
 * rejection still pending must not reach them after they were approved again: the outbox worker
 * sends by next_retry_at, not by decision order. Only pending rows are withdrawn; a sent or
 * failed row is history and stays. Withdrawn rows are archived (restore brings them back).
 */
import type { Knex } from 'knex';
import { sqlText } from '../../data/sql-files.js';
import { deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { OUTBOX_PENDING } from '../statuses.js';
import { OUTBOX_TYPES } from './notification-types.js';

export interface WithdrawnMessage {
  id: number;
  type: string;
  candidate_tg_id: number;
  created_at: Date;
}

/** The messages a rejection or reschedule withdraws: the approval and the confirmation. */
export const WITHDRAWN_ON_RELEASE = [OUTBOX_TYPES.approved, OUTBOX_TYPES.candidateConfirmed];
/** The messages an approval withdraws: an earlier rejection or reschedule of this slot. */
export const WITHDRAWN_ON_APPROVE = [OUTBOX_TYPES.rejected, OUTBOX_TYPES.rescheduled];

export async function withdrawPendingMessages(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  slotId: number,
  candidateTgId: number,
  types: readonly string[],
): Promise<WithdrawnMessage[]> {
  const rows = await deleteArchived<WithdrawnMessage>(trx, op, 'outbox_notifications', sqlText('recruiting/where-withdrawn-messages'), {
    slotId,
    candidateTgId,
    types: [...types],
    pendingStatus: OUTBOX_PENDING,
  });
  return rows.map(({ id, type, candidate_tg_id, created_at }) => ({ id, type, candidate_tg_id: Number(candidate_tg_id), created_at }));
}
