/**
 * Idempotent outbox enqueue (seed 001): one message per (type, booking_id, candidate_tg_id),
 * whatever the status of an existing row. The bug history of the seed: filtering the lookup on
 * status = 'pending' re-inserted sent keys (IntegrityError); re-activating sent rows sent
 * messages twice. Here the unique key decides, in one statement.
 */
import { ConflictError, UsageError } from '../../errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveBeforeUpdate, archiveInserted, type ArchiveOperation } from '../../archive/archive.js';
import { OUTBOX_PENDING } from '../statuses.js';
import { inTransaction, rule, type Db } from '../db.js';
import { optionalId, optionalText, optionalTgId, requireText } from '../validate.js';

export interface OutboxRow {
  id: number;
  booking_id: number | null;
  type: string;
  payload_json: unknown;
  candidate_tg_id: number | null;
  recruiter_tg_id: number | null;
  status: string;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  locked_at: Date | null;
  next_retry_at: Date | null;
  correlation_id: string | null;
}

export interface EnqueueInput {
  type: string;
  bookingId: number | null;
  candidateTgId: number | null;
  recruiterTgId?: number | null;
  payload?: Record<string, unknown> | null;
  correlationId?: string | null;
}

export interface EnqueueResult {
  /** The key's row after the call: new, refreshed, or a sent/failed row exactly as it was. */
  row: OutboxRow;
  /** A new pending row was inserted. */
  created: boolean;
  /** An existing pending row was refreshed for its retry. */
  refreshed: boolean;
  /** How the key was decided: the unique key, or the advisory lock of a key with a NULL part. */
  path: 'unique-key' | 'null-key-lock';
}

type Row = OutboxRow & { created: boolean; refreshed?: boolean };

/**
 * Enqueues one outbox message, idempotently. Pass the command's transaction so the message
 * commits with the change it announces; a plain Knex is fine for a standalone enqueue.
 * A key with a NULL booking or candidate is serialised on a transaction advisory lock (the
 * plain UNIQUE never fires for NULLs); that path needs READ COMMITTED or SERIALIZABLE.
 * With an archive operation, a refreshed pending row is archived before and a new row recorded
 * as inserted, so `archive restore` undoes the enqueue too.
 */
export async function enqueueOutbox(db: Db, input: EnqueueInput, op?: ArchiveOperation): Promise<EnqueueResult> {
  const params = {
    type: requireText('type', input.type, 50),
    bookingId: optionalId('bookingId', input.bookingId),
    candidateTgId: optionalTgId('candidateTgId', input.candidateTgId),
    recruiterTgId: optionalTgId('recruiterTgId', input.recruiterTgId),
    payload: input.payload === undefined || input.payload === null ? null : JSON.stringify(input.payload),
    correlationId: optionalText('correlationId', input.correlationId, 64),
    pendingStatus: OUTBOX_PENDING,
  };
  if (op) {
    return inTransaction(db, async (trx) => {
      await archiveBeforeUpdate(trx, op, 'outbox_notifications', sqlText('outbox/where-pending-key'), params);
      const enqueued = await enqueueOutbox(trx, input);
      if (enqueued.created) await archiveInserted(trx, op, 'outbox_notifications', sqlText('archive/where-id'), { ids: [enqueued.row.id] });
      return enqueued;
    });
  }
  return rule(async () => {
    if (params.bookingId === null || params.candidateTgId === null) {
      return inTransaction(db, async (trx) => {
        const [lock] = await runSql<{ isolation: string }>(trx, 'outbox/lock-null-key', params);
        if (lock.isolation === 'repeatable read') {
          // SERIALIZABLE is let through: its snapshot predates the wait too, but the server's
          // serialization check fails the racing transactions (40001, "try again") instead.
          throw new UsageError('enqueueOutbox with a NULL booking or candidate needs READ COMMITTED or SERIALIZABLE, not REPEATABLE READ');
        }
        let [row] = await runSql<Row>(trx, 'outbox/enqueue-null-key', params);
        // Another writer inserted the key since the statement's snapshot (index of migration
        // 0008): a new statement sees its row and returns it as it is.
        if (!row) [row] = await runSql<Row>(trx, 'outbox/enqueue-null-key', params);
        if (!row) throw new ConflictError(`outbox key (${params.type}, ${params.bookingId}, ${params.candidateTgId}) changed concurrently; try again`);
        return result(row, 'null-key-lock');
      });
    }
    let [row] = await runSql<Row>(db, 'outbox/enqueue', params);
    if (!row) {
      // The key exists with status sent/failed: the statement only locked it. Read it in a new
      // statement (a row committed after this statement's snapshot is visible only there).
      [row] = await runSql<Row>(db, 'outbox/find-by-key', params);
      if (!row) throw new ConflictError(`outbox key (${params.type}, ${params.bookingId}, ${params.candidateTgId}) vanished concurrently; try again`);
      return result(row, 'unique-key', false);
    }
    return result(row, 'unique-key', !row.created);
  });
}

function result(row: Row, path: EnqueueResult['path'], refreshed = Boolean(row.refreshed)): EnqueueResult {
  const { created, refreshed: _r, ...rest } = row;
  return { row: rest as OutboxRow, created: Boolean(created), refreshed: !created && refreshed, path };
}
