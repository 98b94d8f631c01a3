/**
 * The lessons platform (sql/lessons): bookings, chat rooms, which pair needs a room (the rule of
 * seed 004, once: chat-rules.sql), the backfill's checkpoint and the chat metrics.
 */
import type { Knex } from 'knex';
import type { TimestampText } from './db.js';
import { findings, type Findings } from './findings.js';
import { first, identifier, run, sql, type Db } from './sql.js';

export interface ChatRoomRow {
  id: string;
  teacher_id: string;
  student_id: string;
  last_message_at: TimestampText | null;
  created_at: TimestampText;
  updated_at: TimestampText;
  deleted_at: TimestampText | null;
}

export interface BookingRow {
  id: string;
  lesson_id: string;
  student_id: string;
  status: string | null;
  created_at: TimestampText;
  updated_at: TimestampText;
  deleted_at: TimestampText | null;
}

export type LockedBooking = BookingRow & { teacher_id: string; lesson_deleted_at: TimestampText | null; active: boolean };

export function lockBooking(trx: Knex.Transaction, bookingId: string): Promise<LockedBooking | undefined> {
  return first<LockedBooking>(trx, sql('lessons/lock-booking'), { bookingId });
}

export function activateBooking(trx: Knex.Transaction, bookingId: string): Promise<BookingRow | undefined> {
  return first<BookingRow>(trx, sql('lessons/activate-booking'), { bookingId });
}

export interface Pair {
  teacherId: string;
  studentId: string;
}

/** The pair's advisory lock (shared with the chat trigger); reports the isolation level. */
export async function lockPair(trx: Knex.Transaction, pair: Pair, lockName: string): Promise<{ isolation: string }> {
  return (await first<{ isolation: string }>(trx, sql('lessons/lock-pair'), { ...pair, lockName }))!;
}

export function insertRoom(trx: Knex.Transaction, pair: Pair): Promise<ChatRoomRow | undefined> {
  return first<ChatRoomRow>(trx, sql('lessons/insert-room'), { ...pair });
}

export function findRoom(trx: Knex.Transaction, pair: Pair): Promise<(ChatRoomRow & { written_by_this_transaction: boolean }) | undefined> {
  return first(trx, sql('lessons/find-room'), { ...pair });
}

// ---- which pair needs a room -------------------------------------------------------------------

/** chats.missing: pairs with an active booking and no room (details: bookings). */
export function missingRooms(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'lessons/missing', {}, sample);
}

/**
 * chats.missing among the given bookings only (the re-check after a backfill: the bookings it
 * planned, read by key).
 */
export function missingRoomsAmong(db: Db, bookingIds: string[], sample: number): Promise<Findings> {
  return findings(db, 'lessons/missing', { bookingIds }, sample, { 'bookings-needing-a-room': sql('lessons/needing-among-bookings') });
}

export function blockedByDeleted(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'lessons/blocked-by-deleted', {}, sample);
}

export function duplicateRooms(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'lessons/duplicates', {}, sample);
}

export function selfRooms(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'lessons/self-rooms', {}, sample);
}

/** The backfill's plan: the bookings of missing-rooms, in id order, and their pairs. */
export async function backfillPlan(db: Db): Promise<{ booking_ids: string[]; pairs: number }> {
  return (await first<{ booking_ids: string[]; pairs: number }>(db, sql('lessons/backfill-plan')))!;
}

/** One batch of the backfill through migration 0007's function; how many rooms it created. */
export async function backfillBatch(trx: Knex.Transaction, functionName: string, bookingIds: string[]): Promise<number> {
  return (await first<{ created: number }>(trx, sql('lessons/backfill-batch', { 'backfill-function': identifier(functionName) }), { bookingIds }))!.created;
}

// ---- the backfill's checkpoint -----------------------------------------------------------------

export interface Checkpoint {
  job: string;
  /** The last booking of the last committed batch (for the record: a resumed run plans again). */
  last_key: string | null;
  /** Bookings handed to the function so far. */
  scanned: number;
  created: number;
  batches: number;
  batch_size: number | null;
  started_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

/** The checkpoint of a job, or undefined when there is no table or no row (never creates anything). */
export async function readCheckpoint(db: Db, job: string): Promise<Checkpoint | undefined> {
  if (!(await first<{ present: boolean }>(db, sql('lessons/progress-exists')))!.present) return undefined;
  return first<Checkpoint>(db, sql('lessons/progress-read'), { job });
}

export async function ensureProgressTable(db: Db): Promise<void> {
  await run(db, sql('lessons/progress-table'));
}

export async function startCheckpoint(db: Db, job: string, batchSize: number): Promise<Checkpoint> {
  return (await first<Checkpoint>(db, sql('lessons/progress-start'), { job, batchSize }))!;
}

export async function advanceCheckpoint(trx: Knex.Transaction, job: string, batch: { lastKey: string; scanned: number; created: number; batchSize: number }): Promise<void> {
  await run(trx, sql('lessons/progress-advance'), { job, ...batch });
}

export async function finishCheckpoint(db: Db, job: string): Promise<void> {
  await run(db, sql('lessons/progress-finish'), { job });
}

// ---- metrics -----------------------------------------------------------------------------------

export interface MetricsRow {
  rooms_created_today: number;
  rooms_total: number;
  rooms_in_window: number;
  lag_samples: number;
  lag_avg_seconds: number | null;
  lag_max_seconds: number | null;
  lag_over_threshold: number;
}

export async function chatMetrics(db: Db, opts: { since: string; windowMs: number; thresholdMs: number }): Promise<MetricsRow> {
  return (await first<MetricsRow>(db, sql('lessons/metrics'), opts))!;
}

