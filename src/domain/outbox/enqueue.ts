/**
 * Idempotent outbox enqueue (seed 001): one message per (type, booking_id, candidate_tg_id),
 * whatever the status of an existing row. The bug history of the seed: filtering the lookup on
 * status = 'pending' re-inserted sent keys (IntegrityError); re-activating sent rows sent
 * messages twice. Here the unique key decides, in one statement.
 */
import { applyChange, recordInserted, show, shownRecordInserted, shownStatements, type RowChange, type ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import type { Knex } from 'knex';
import { inTransaction, translated, type Db } from '../../data/db.js';
import * as outbox from '../../data/outbox.repository.js';
import type { OutboxKeyParams, OutboxRow } from '../../data/outbox.repository.js';
import { ConflictError, UsageError } from '../../errors.js';
import { optionalId, optionalText, optionalTgId, requireText } from '../validate.js';
import { archiving } from '../planned.js';

export type { OutboxRow } from '../../data/outbox.repository.js';

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

/** The key's parameters, checked (a bad value is the caller's mistake, before any statement runs). */
export function enqueueParams(input: EnqueueInput): OutboxKeyParams {
  return {
    type: requireText('type', input.type, 50),
    bookingId: optionalId('bookingId', input.bookingId),
    candidateTgId: optionalTgId('candidateTgId', input.candidateTgId),
    recruiterTgId: optionalTgId('recruiterTgId', input.recruiterTgId),
    payload: input.payload === undefined || input.payload === null ? null : JSON.stringify(input.payload),
    correlationId: optionalText('correlationId', input.correlationId, 64),
  };
}

/** What an enqueue of this key would do now: insert a row, refresh a pending one, or leave a sent or failed one as it is. */
export interface PlannedMessage {
  type: string;
  candidateTgId: number | null;
  /** insert: a new row; refresh: the key's pending row (archived first); exists: a sent or failed row, returned as it is. */
  outcome: 'insert' | 'refresh' | 'exists';
  /** The key's row now, when there is one. */
  existing: { id: number; status: string } | null;
}

/** `supersededFirst`: the types of the candidate's messages the rule archives away before it enqueues (the key is then free). */
export async function planEnqueue(db: Db, input: EnqueueInput, supersededFirst: readonly string[] = []): Promise<PlannedMessage> {
  const key = enqueueParams(input);
  const existing = supersededFirst.includes(key.type) ? undefined : await outbox.keyState(db, key);
  const outcome = !existing ? 'insert' : existing.refreshable ? 'refresh' : 'exists';
  return { type: key.type, candidateTgId: key.candidateTgId, outcome, existing: existing ? { id: existing.id, status: existing.status } : null };
}

/** What an enqueue archives: the key's pending row, when it refreshes it. */
export function messageArchives(message: PlannedMessage | null): Record<string, number> {
  return archiving('outbox_notifications', 'update', message?.outcome === 'refresh' ? 1 : 0);
}

/**
 * The key's row, left exactly as it is (a caller that does not enqueue a message already queued).
 * Gone since the plan saw it: a ConflictError, as for any change between a preview and its apply.
 */
export async function keptMessage(db: Db, input: EnqueueInput): Promise<EnqueueResult> {
  const found = await outbox.findByKey(db, enqueueParams(input));
  if (!found) throw new ConflictError(`the ${input.type} message of booking ${input.bookingId} is gone since the preview; nothing was changed; try again`);
  const { created: _c, ...row } = found as OutboxRow & { created?: boolean };
  return { row: row as OutboxRow, created: false, refreshed: false, path: 'unique-key' };
}

/**
 * The statements an enqueue of a key with no NULL part sends under an archive operation
 * (--dry-run): the key's pending row archived (refreshed: see enqueueOutbox), the enqueue, and the
 * record of the row when the plan says it inserts one.
 */
export function shownEnqueue(db: Db, input: EnqueueInput, outcome: PlannedMessage['outcome']): ShownStatement[] {
  return [
    ...shownStatements(db, pendingKey(enqueueParams(input)), `the ${input.type} message of candidate ${input.candidateTgId}, when pending, archived first (it is refreshed)`),
    show(db, { sql: outbox.enqueueStatement(), params: { ...enqueueParams(input) } }, `enqueue ${input.type} for candidate ${input.candidateTgId} (once per key, whatever its status)`),
    ...(outcome === 'insert' ? [shownRecordInserted(db, 'outbox_notifications')] : []),
  ];
}

/** The key's pending row, which an enqueue refreshes: archived first (locked, not updated: the enqueue updates it). */
function pendingKey(key: OutboxKeyParams): RowChange {
  return { table: 'outbox_notifications', change: 'update', where: outbox.pendingKey(), params: { ...key } };
}

/**
 * Enqueues one outbox message, idempotently. Pass the command's transaction so the message
 * commits with the change it announces; a plain Knex is fine for a standalone enqueue.
 * A key with a NULL booking or candidate is serialised on a transaction advisory lock (the
 * plain UNIQUE never fires for NULLs); that path needs READ COMMITTED or SERIALIZABLE.
 * With an archive operation, a refreshed pending row is archived before and a new row recorded
 * as inserted, so `archive restore` undoes the enqueue too.
 */
export async function enqueueOutbox(db: Db, input: EnqueueInput, op?: ArchiveOperation): Promise<EnqueueResult> {
  const key = enqueueParams(input);
  if (op) {
    return inTransaction(db, async (trx) => {
      // A pending row of the key is refreshed: archived as it is first.
      await applyChange(trx, op, pendingKey(key));
      const enqueued = await enqueueOutbox(trx, input);
      if (enqueued.created) await recordInserted(trx, op, 'outbox_notifications', [enqueued.row.id]);
      return enqueued;
    });
  }
  return translated(async () => {
    if (key.bookingId === null || key.candidateTgId === null) {
      return inTransaction(db, async (trx) => {
        const lock = await outbox.lockNullKey(trx, key);
        if (lock.isolation === 'repeatable read') {
          // SERIALIZABLE is let through: its snapshot predates the wait too, but the server's
          // serialization check fails the racing transactions (40001, "try again") instead.
          throw new UsageError('enqueueOutbox with a NULL booking or candidate needs READ COMMITTED or SERIALIZABLE, not REPEATABLE READ');
        }
        // Another writer inserted the key since the statement's snapshot (index of migration
        // 0008): a new statement sees its row and returns it as it is.
        const row = (await outbox.enqueueNullKey(trx, key)) ?? (await outbox.enqueueNullKey(trx, key));
        if (!row) throw new ConflictError(`outbox key (${key.type}, ${key.bookingId}, ${key.candidateTgId}) changed concurrently; try again`);
        return result(row, 'null-key-lock');
      });
    }
    const row = await outbox.enqueue(db, key);
    if (!row) {
      // The key exists with status sent/failed: the statement only locked it. Read it in a new
      // statement (a row committed after this statement's snapshot is visible only there).
      const existing = await outbox.findByKey(db, key);
      if (!existing) throw new ConflictError(`outbox key (${key.type}, ${key.bookingId}, ${key.candidateTgId}) vanished concurrently; try again`);
      return { row: existing, created: false, refreshed: false, path: 'unique-key' };
    }
    return result(row, 'unique-key', !row.created);
  });
}

/**
 * A batch's messages as enqueue-batch reads them (:messages, a JSON array), each key checked as
 * enqueueParams checks one. The batch path is for keys with no NULL part (the unique key decides
 * them; a NULL part needs the advisory lock of enqueueOutbox), each key once (one statement
 * cannot decide a key twice).
 */
export function batchMessages(inputs: readonly EnqueueInput[]): string {
  const seen = new Set<string>();
  return JSON.stringify(
    inputs.map((input) => {
      const key = enqueueParams(input);
      if (key.bookingId === null || key.candidateTgId === null) throw new UsageError(`a batch enqueue needs a booking and a candidate (${key.type}): enqueue it alone`);
      const k = keyOf(key.type, key.bookingId, key.candidateTgId);
      if (seen.has(k)) throw new UsageError(`a batch enqueue names the key (${key.type}, ${key.bookingId}, ${key.candidateTgId}) twice`);
      seen.add(k);
      return {
        type: key.type,
        booking_id: key.bookingId,
        candidate_tg_id: key.candidateTgId,
        recruiter_tg_id: key.recruiterTgId,
        payload_json: input.payload ?? null,
        correlation_id: key.correlationId,
      };
    }),
  );
}

/** The batch's pending rows, archived before enqueue-batch refreshes them (locked, not updated: the enqueue updates them). */
function pendingOfBatch(messages: string): RowChange {
  return { table: 'outbox_notifications', change: 'update', where: outbox.pendingOfBatch(), params: { messages } };
}

/** The statements a batch enqueue sends (--dry-run): the archive of the keys' pending rows, the enqueue, the record of the new rows. */
export function shownEnqueueBatch(db: Db, inputs: readonly EnqueueInput[], note?: string): ShownStatement[] {
  const messages = batchMessages(inputs);
  return [...shownStatements(db, pendingOfBatch(messages), note), show(db, { sql: outbox.enqueueBatchStatement(), params: { messages } }), shownRecordInserted(db, 'outbox_notifications')];
}

/**
 * Enqueues a batch of messages in one statement, with the single enqueue's outcome for each key
 * (sql/outbox on-key: a new key inserted, a pending row refreshed, a sent or failed one left as
 * it is), in the caller's transaction: the refreshed rows archived first and the inserted ones
 * recorded, so `archive restore` undoes the batch. Results in the order of the inputs.
 */
export async function enqueueOutboxBatch(trx: Knex.Transaction, inputs: readonly EnqueueInput[], op: ArchiveOperation): Promise<EnqueueResult[]> {
  if (inputs.length === 0) return [];
  const messages = batchMessages(inputs);
  return translated(async () => {
    await applyChange(trx, op, pendingOfBatch(messages));
    const enqueued = await outbox.enqueueBatch(trx, messages);
    await recordInserted(trx, op, 'outbox_notifications', enqueued.filter((r) => r.created).map((r) => r.id));
    const byKey = new Map(enqueued.map((r) => [keyOf(r.type, r.booking_id, r.candidate_tg_id), result(r, 'unique-key', !r.created)] as const));
    // Keys left as they are (sent or failed) came back empty: read them in a new statement, as enqueueOutbox does.
    if (byKey.size < inputs.length) {
      for (const row of await outbox.findBatch(trx, messages)) {
        const k = keyOf(row.type, row.booking_id, row.candidate_tg_id);
        if (!byKey.has(k)) byKey.set(k, { row, created: false, refreshed: false, path: 'unique-key' });
      }
    }
    return inputs.map((input) => {
      const found = byKey.get(keyOf(input.type, input.bookingId, input.candidateTgId));
      if (!found) throw new ConflictError(`outbox key (${input.type}, ${input.bookingId}, ${input.candidateTgId}) vanished concurrently; try again`);
      return found;
    });
  });
}

function keyOf(type: unknown, bookingId: unknown, candidateTgId: unknown): string {
  return `${String(type)}|${String(bookingId)}|${String(candidateTgId)}`;
}

function result(row: outbox.EnqueuedRow, path: EnqueueResult['path'], refreshed = Boolean(row.refreshed)): EnqueueResult {
  const { created, refreshed: _r, ...rest } = row;
  return { row: rest as OutboxRow, created: Boolean(created), refreshed: !created && refreshed, path };
}
