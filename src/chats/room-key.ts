/**
 * The unique key on chat_rooms (teacher_id, student_id) as the catalog has it, whatever its name
 * (CHAT_ROOM_KEY), and whether it does its job: one room per pair under concurrency. A partial,
 * deferrable or INVALID index on those columns does not: ON CONFLICT refuses a deferrable
 * arbiter (every insert of a room fails), an INVALID one is a failed build, a partial one lets a
 * second room in beside a soft-deleted one.
 */
import { uniqueIndexesOn, type UniqueIndex } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { CHAT_ROOM_KEY } from '../platform/chat-objects.js';

export type RoomKeyIndex = UniqueIndex;

/** The unique indexes on exactly chat_rooms (teacher_id, student_id); none when the table is absent. */
export function roomKeyIndexes(db: Db): Promise<RoomKeyIndex[]> {
  return uniqueIndexesOn(db, CHAT_ROOM_KEY.table, CHAT_ROOM_KEY.columns);
}

/** Why an index does not keep a pair to one room; empty when it does. */
export function roomKeyProblems(index: RoomKeyIndex): string[] {
  const problems: string[] = [];
  if (!index.valid) problems.push('INVALID (a failed CREATE INDEX CONCURRENTLY): it decides nothing');
  if (!index.immediate) problems.push('DEFERRABLE: ON CONFLICT refuses it as an arbiter, so every insert of a room fails');
  if (index.predicate !== null) problems.push(`partial (WHERE ${index.predicate}): a second room can be inserted beside a room it leaves out`);
  return problems;
}

export async function hasRoomKey(db: Db): Promise<boolean> {
  return (await roomKeyIndexes(db)).some((i) => roomKeyProblems(i).length === 0);
}
