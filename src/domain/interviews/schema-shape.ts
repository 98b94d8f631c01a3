/**
 * Which rule the interviews table is under, read from the catalog (never from a name): while a
 * unique constraint or index on (time_slot_id) without a predicate exists, cancelled rows still
 * hold their slot (seed 000); after migration 0002 only a partial key on the active rows does.
 */
import { runSql } from '../../data/sql-files.js';
import type { Db } from '../db.js';

export interface TimeSlotKey {
  index_name: string;
  constraint_name: string | null;
  partial: boolean;
}

export interface InterviewKeyShape {
  /** A predicate-less unique key on interviews (time_slot_id) exists: cancelled rows block. */
  legacyKey: boolean;
  /** Some unique key (full or partial) settles concurrent bookings of one slot. */
  anyKey: boolean;
  keys: TimeSlotKey[];
}

export async function interviewKeyShape(db: Db): Promise<InterviewKeyShape> {
  const keys = await runSql<TimeSlotKey>(db, 'interviews/time-slot-keys');
  return { legacyKey: keys.some((k) => !k.partial), anyKey: keys.length > 0, keys };
}
