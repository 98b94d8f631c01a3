/**
 * The interview bot's tables (sql/interviews): time slots, interviews, the unique keys on
 * interviews (time_slot_id) whatever their names, and the rules of seed 000 as the audit, the
 * repairs and migration 0002 read them.
 */
import type { Knex } from 'knex';
import { findings, type Findings } from './findings.js';
import { first, rows, sql, type Db, type Sql, type Statement } from './sql.js';
import type { TimestampText } from './db.js';

export interface InterviewRow {
  id: number;
  time_slot_id: number | null;
  interviewer_id: number | null;
  bot_user_id: number;
  status: string | null;
  created_at: TimestampText;
  cancelled_at: TimestampText | null;
}

export interface TimeSlotKey {
  index_name: string;
  constraint_name: string | null;
  partial: boolean;
}

/** Unique keys on interviews (time_slot_id) alone, found by their column. */
export function timeSlotKeys(db: Db): Promise<TimeSlotKey[]> {
  return rows<TimeSlotKey>(db, sql('interviews/time-slot-keys'));
}

/**
 * Which rule the interviews table is under, read from the catalog (never from a name): while a
 * unique constraint or index on (time_slot_id) without a predicate exists, cancelled rows still
 * hold their slot (seed 000); after migration 0002 only a partial key on the active rows does.
 */
export interface InterviewKeyShape {
  /** A predicate-less unique key on interviews (time_slot_id) exists: cancelled rows block. */
  legacyKey: boolean;
  /** Some unique key (full or partial) settles concurrent bookings of one slot. */
  anyKey: boolean;
  keys: TimeSlotKey[];
  /** The keys' names (the constraint's when it backs one). */
  names: string[];
  /** The names of the legacy (predicate-less) keys. */
  legacyNames: string[];
}

export async function interviewKeyShape(db: Db): Promise<InterviewKeyShape> {
  const keys = await timeSlotKeys(db);
  const name = (k: TimeSlotKey) => k.constraint_name ?? k.index_name;
  const legacy = keys.filter((k) => !k.partial);
  return { legacyKey: legacy.length > 0, anyKey: keys.length > 0, keys, names: keys.map(name), legacyNames: legacy.map(name) };
}

export function findTimeSlot(db: Db, slotId: number): Promise<{ id: number; interviewer_id: number } | undefined> {
  return first(db, sql('interviews/find-time-slot'), { slotId });
}

/** Only where no unique key settles concurrent bookings: they queue on the slot's row. */
export function lockTimeSlot(trx: Knex.Transaction, slotId: number): Promise<{ id: number; interviewer_id: number } | undefined> {
  return first(trx, sql('interviews/lock-time-slot'), { slotId });
}

export function findInterview(db: Db, interviewId: number): Promise<InterviewRow | undefined> {
  return first<InterviewRow>(db, sql('interviews/find-interview'), { interviewId });
}

/** Cancels an active interview (none back: it was not active). */
export function cancel(trx: Knex.Transaction, interviewId: number): Promise<InterviewRow | undefined> {
  return first<InterviewRow>(trx, sql('interviews/cancel'), { interviewId });
}

export interface BookingParams {
  slotId: number;
  interviewerId: number;
  userTgId: number;
  status: string;
}

/** Inserts the interview unless an active one holds the slot. */
export function insertIfFreeStatement(params: BookingParams): Statement {
  return { sql: sql('interviews/insert-if-free'), params: { ...params } };
}

export interface Holder {
  id: number;
  bot_user_id: number;
  status: string;
  active: boolean;
}

export function slotHolders(db: Db, slotId: number): Promise<Holder[]> {
  return rows<Holder>(db, sql('interviews/slot-holders'), { slotId });
}

export interface SlotInterview {
  time_slot_id: number;
  interviewer_id: number;
  id: number | null;
  bot_user_id: number | null;
  status: string | null;
  created_at: TimestampText | null;
  cancelled_at: TimestampText | null;
  active: boolean;
  cancelled: boolean;
}

/** A time slot and every interview on it; none: the slot does not exist. */
export function timeSlotInterviews(db: Db, slotId: number): Promise<SlotInterview[]> {
  return rows<SlotInterview>(db, sql('interviews/time-slot-interviews'), { slotId });
}

/** The cancelled interviews of one slot (alias t). */
export const cancelledOfSlot = (): Sql => sql('interviews/cancelled-of-slot');

/** The fixed cutoff of --older-than, computed once by the plan so every batch uses the same one. */
export async function cutoff(db: Db, olderThanMs: number): Promise<string> {
  return (await first<{ cutoff: string }>(db, sql('interviews/cutoff'), { olderThanMs }))!.cutoff;
}

/** interviews.cancelled-blocking, given the legacy keys that make them block (none: nothing blocks). */
export function cancelledBlocking(db: Db, legacyKeys: string[], sample: number): Promise<Findings> {
  if (legacyKeys.length === 0) return Promise.resolve({ count: 0, sample: [] });
  return findings(db, 'interviews/cancelled-blocking', { blockedBy: legacyKeys.join(', ') }, sample);
}

/** clean-cancelled's rows (alias t): the rule, optionally of one slot and older than a cutoff. */
export const cancelledBlockingScoped = (): Sql => sql('interviews/cancelled-blocking-scoped');

/** interviews.duplicate-active (and migration 0002's preflight). */
export function duplicateActive(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'interviews/duplicate-active', {}, sample);
}
