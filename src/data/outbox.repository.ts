/**
 * outbox_notifications (sql/outbox): the idempotent enqueue, and the outbox's rules (duplicate
 * keys, stuck and failed rows) as the audit, `outbox stats`, the repairs and migration 0008 read
 * them.
 */
import type { Knex } from 'knex';
import { findings, type Findings } from './findings.js';
import { first, rows, sql, type Db, type Sql } from './sql.js';

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

export interface OutboxKeyParams {
  type: string;
  bookingId: number | null;
  candidateTgId: number | null;
  recruiterTgId: number | null;
  payload: string | null;
  correlationId: string | null;
}

export type EnqueuedRow = OutboxRow & { created: boolean; refreshed?: boolean };

/** The enqueue decided by the unique key: inserted, a pending row refreshed, or nothing (a sent or failed row stays as it is). */
export function enqueueStatement(): Sql {
  return sql('outbox/enqueue');
}

export function enqueue(db: Db, key: OutboxKeyParams): Promise<EnqueuedRow | undefined> {
  return first<EnqueuedRow>(db, enqueueStatement(), { ...key });
}

/** The enqueue of a batch of keys with no NULL part in one statement (outbox/enqueue-batch); :messages is a JSON array. */
export function enqueueBatchStatement(): Sql {
  return sql('outbox/enqueue-batch');
}

export function enqueueBatch(db: Db, messages: string): Promise<EnqueuedRow[]> {
  return rows<EnqueuedRow>(db, enqueueBatchStatement(), { messages });
}

/** The rows of a batch's keys, one per key (the oldest). */
export function findBatch(db: Db, messages: string): Promise<OutboxRow[]> {
  return rows<OutboxRow>(db, sql('outbox/find-batch'), { messages });
}

/** The pending rows of a batch's keys (alias t): what enqueueBatch refreshes. */
export const pendingOfBatch = (): Sql => sql('outbox/pending-of-batch');

/** A key with a NULL part, serialised on its advisory lock; reports the isolation level. */
export async function lockNullKey(trx: Knex.Transaction, key: OutboxKeyParams): Promise<{ isolation: string }> {
  return (await first<{ isolation: string }>(trx, sql('outbox/lock-null-key'), { ...key }))!;
}

export function enqueueNullKey(trx: Knex.Transaction, key: OutboxKeyParams): Promise<EnqueuedRow | undefined> {
  return first<EnqueuedRow>(trx, sql('outbox/enqueue-null-key'), { ...key });
}

/** The row of a key, NULLs equal (the oldest when legacy duplicates exist). */
export function findByKey(db: Db, key: Pick<OutboxKeyParams, 'type' | 'bookingId' | 'candidateTgId'>): Promise<OutboxRow | undefined> {
  return first<OutboxRow>(db, sql('outbox/find-by-key'), { ...key });
}

/** The key's row as an enqueue would find it: whether it would refresh it (outbox/refreshable). */
export function keyState(db: Db, key: OutboxKeyParams): Promise<{ id: number; status: string; refreshable: boolean } | undefined> {
  return first(db, sql('outbox/key-state'), { ...key });
}

/** The pending rows of a key (alias t): what an enqueue refreshes. */
export const pendingKey = (): Sql => sql('outbox/pending-key');

// ---- rules ------------------------------------------------------------------------------------

export function duplicates(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'outbox/duplicates', {}, sample);
}

export function nullCandidateDuplicates(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'outbox/null-candidate-duplicates', {}, sample);
}

export interface StuckThresholds {
  lockedForMs: number;
  pendingForMs: number;
}

/** When a pending row counts as stuck, unless told otherwise: locked 15 minutes ago, or due an hour ago. */
export const STUCK_DEFAULTS: StuckThresholds = { lockedForMs: 15 * 60_000, pendingForMs: 60 * 60_000 };

export function stuck(db: Db, thresholds: StuckThresholds, sample: number): Promise<Findings> {
  return findings(db, 'outbox/stuck', { ...thresholds }, sample);
}

export function failed(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'outbox/failed', {}, sample);
}

export interface DuplicateRow {
  id: number;
  keep_id: number;
  type: string;
  booking_id: number | null;
  candidate_tg_id: number | null;
  status: string;
  attempts: number;
  created_at: Date;
}

/** The rows dedupe removes, each with the row its key keeps. */
export function duplicateRows(db: Db): Promise<DuplicateRow[]> {
  return rows<DuplicateRow>(db, sql('outbox/duplicate-rows'));
}

/** A planned duplicate, deleted only while its key's kept row exists (alias t). */
export const duplicateOfKept = (): Sql => sql('outbox/duplicate-of-kept');

/** Failed rows with no retry ahead, optionally of one type (alias t). */
export const failedOfType = (): Sql => sql('outbox/failed-of-type');

export function retryFailedRows(db: Db, ids: number[]): Promise<Record<string, unknown>[]> {
  return rows(db, sql('outbox/retry-failed-sample-columns'), { ids });
}

/** The named rows that may go back to pending (alias t). */
export const requeueNamed = (): Sql => sql('outbox/requeue-named');

/** Back to pending (assignments). */
export const backToPending = (): Sql => sql('outbox/back-to-pending');

export interface RequeueState {
  id: number;
  type: string;
  booking_id: number | null;
  candidate_tg_id: number | null;
  status: string;
  attempts: number;
  locked_at: Date | null;
  next_retry_at: Date | null;
  last_error: string | null;
  /** failed, pending, stuck (locked too long), in-flight, or another status (sent). */
  state: string;
}

export function requeueStates(db: Db, ids: number[], lockedForMs: number): Promise<RequeueState[]> {
  return rows<RequeueState>(db, sql('outbox/requeue-states'), { ids, lockedForMs });
}

export function rowsByStatusAndType(db: Db): Promise<Array<{ status: string; type: string; rows: number }>> {
  return rows(db, sql('outbox/by-status-and-type'));
}

export interface OutboxHealth {
  duplicate_keys: number;
  duplicate_rows: number;
  /** The first `sample` ids of each count, lowest first. */
  duplicate_row_ids: number[];
  stuck: number;
  stuck_ids: number[];
  failed_without_retry: number;
  failed_ids: number[];
}

export async function health(db: Db, thresholds: StuckThresholds, sample: number): Promise<OutboxHealth> {
  return (await first<OutboxHealth>(db, sql('outbox/health'), { ...thresholds, sample }))!;
}
