/**
 * Notification logs keyed by candidate (seed 002, P0). Before migration 0004 the table is unique
 * on (type, booking_id) and the candidate is only in the JSON payload, so a log left by the
 * previous candidate would make "already sent" true for the next one. Here a log that is not the
 * current candidate's is stale: it is archived away (undo: archive restore), never allowed to
 * silence anyone, on both schemas. Which schema is read from the catalog (the column).
 */
import type { Knex } from 'knex';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveInserted, deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { logCandidateParams } from './log-candidate.js';
import { LOG_DELIVERY_SENT } from './notification-types.js';
import type { NotificationLogRow } from './types.js';

export async function logsKeyedByCandidate(db: Knex | Knex.Transaction): Promise<boolean> {
  const [row] = await runSql<{ has_candidate_column: boolean }>(db, 'recruiting/notification-log-shape');
  return row.has_candidate_column;
}

/** Archives and deletes the slot's logs that are not `candidateTgId`'s (all of them for null). */
export async function archiveStaleLogs(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  slotId: number,
  candidateTgId: number | null,
  keyedByCandidate: boolean,
): Promise<NotificationLogRow[]> {
  if (candidateTgId === null) return deleteArchived<NotificationLogRow>(trx, op, 'notification_logs', sqlText('recruiting/where-slot-children'), { slotId });
  const where = sqlText(keyedByCandidate ? 'recruiting/where-stale-logs' : 'recruiting/where-stale-logs-legacy');
  return deleteArchived<NotificationLogRow>(trx, op, 'notification_logs', where, { slotId, candidateTgId, ...logCandidateParams });
}

export interface RecordedLog {
  log: NotificationLogRow;
  /** False when this candidate's log of this type was already there (already notified). */
  created: boolean;
}

/**
 * Records "candidate was notified" for the slot's current candidate (the new row is recorded in
 * the archive operation, so a restore removes it). Call archiveStaleLogs first
 * (under the slot lock): then a conflict can only be with this candidate's own log.
 */
export async function recordLog(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  slotId: number,
  candidateTgId: number,
  type: string,
  keyedByCandidate: boolean,
): Promise<RecordedLog> {
  const params = { slotId, candidateTgId, type, deliveryStatus: LOG_DELIVERY_SENT };
  const [inserted] = await runSql<NotificationLogRow>(trx, keyedByCandidate ? 'recruiting/insert-log' : 'recruiting/insert-log-legacy', params);
  if (inserted) {
    // Recorded so that `archive restore` of this operation removes it again.
    await archiveInserted(trx, op, 'notification_logs', sqlText('archive/where-id'), { ids: [inserted.id] });
    return { log: inserted, created: true };
  }
  const [existing] = await runSql<NotificationLogRow>(trx, 'recruiting/find-log', params);
  return { log: existing, created: false };
}
