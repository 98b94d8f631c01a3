/**
 * Notification logs keyed by candidate (seed 002, P0). Before migration 0004 the table is unique
 * on (type, booking_id) and the candidate is only in the JSON payload, so a log left by the
 * previous candidate would make "already sent" true for the next one. A log that is not the
 * current candidate's is stale (the rule: sql/recruiting/notification-logs.sql stale-logs): it is
 * archived away (undo: archive restore), never allowed to silence anyone, on both schemas.
 */
import type { Knex } from 'knex';
import { recordInserted, show, shownRecordInserted, type RowChange, type ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { LogParams, NotificationLogRow } from '../../data/recruiting.repository.js';
import { run, type Db } from '../../data/sql.js';
import { LOG_DELIVERY_SENT } from '../../platform/messages.js';

/** notification_logs has the candidate column (migration 0004, or a site's own fix). */
export function logsKeyedByCandidate(db: Db): Promise<boolean> {
  return recruiting.logsHaveCandidateColumn(db);
}

/** The change that archives and deletes the slot's logs that are not `candidateTgId`'s. */
export function staleLogsChange(keyed: boolean, slotId: number, candidateTgId: number): RowChange {
  const { where, params } = recruiting.stale(keyed, { slotId, candidateTgId });
  return { table: 'notification_logs', change: 'delete', where, params };
}

export interface RecordedLog {
  log: NotificationLogRow;
  /** False when this candidate's log of this type was already there (already notified). */
  created: boolean;
}

export function logParams(slotId: number, candidateTgId: number, type: string): LogParams {
  return { slotId, candidateTgId, type, deliveryStatus: LOG_DELIVERY_SENT };
}

export function shownRecordLog(db: Db, keyed: boolean, params: LogParams): ShownStatement[] {
  return [show(db, recruiting.insertLogStatement(keyed, params), `record the ${params.type} log of candidate ${params.candidateTgId} (once)`), shownRecordInserted(db, 'notification_logs')];
}

/**
 * Records "candidate was notified" for the slot's current candidate (the new row is recorded in
 * the archive operation, so a restore removes it). Archive the stale logs first (under the slot
 * lock): then a conflict can only be with this candidate's own log.
 */
export async function recordLog(trx: Knex.Transaction, op: ArchiveOperation, keyed: boolean, params: LogParams): Promise<RecordedLog> {
  const statement = recruiting.insertLogStatement(keyed, params);
  const [inserted] = (await run<NotificationLogRow>(trx, statement.sql, statement.params)).rows;
  if (inserted) {
    await recordInserted(trx, op, 'notification_logs', [inserted.id]);
    return { log: inserted, created: true };
  }
  return { log: (await recruiting.findLog(trx, params))!, created: false };
}
