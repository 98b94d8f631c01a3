/**
 * The chat room of a (teacher, student) pair, created when missing (seed 004's lazy
 * GetOrCreateRoom). Converges: every concurrent caller gets the same room back (INSERT … ON
 * CONFLICT DO NOTHING RETURNING, then read the existing one). A teacher never gets a room with
 * themself. A soft-deleted room is neither resurrected nor duplicated (the legacy UNIQUE
 * (teacher_id, student_id) counts it): it is returned flagged softDeleted so the caller can say
 * so (audit check chats.blocked-by-deleted; restore or delete it deliberately).
 */
import { ConflictError, NotFoundError, UsageError } from '../../errors.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import { runSql } from '../../data/sql-files.js';
import { rule, type Db } from '../db.js';
import { requireUuid } from '../validate.js';
import type { ChatRoomRow } from './types.js';

export interface GetOrCreateRoomResult {
  room: ChatRoomRow;
  /** This call inserted the room. */
  created: boolean;
  /** The pair's only room is soft-deleted; it was returned as it is, not resurrected. */
  softDeleted: boolean;
  /** The room was written by the caller's transaction, but not by this call (the chat trigger). */
  createdByTrigger: boolean;
}

type FoundRoom = ChatRoomRow & { written_by_this_transaction: boolean };

/** Attempts before giving up when the pair's room is deleted between our insert and our read. */
const ATTEMPTS = 3;

export async function getOrCreateRoom(db: Db, input: { teacherId: string; studentId: string }): Promise<GetOrCreateRoomResult> {
  const teacherId = requireUuid('teacherId', input.teacherId);
  const studentId = requireUuid('studentId', input.studentId);
  if (teacherId === studentId) throw new UsageError(`a teacher never gets a chat room with themself (user ${teacherId})`);
  const params = { teacherId, studentId };
  return rule(
    async () => {
      for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
        const [inserted] = await runSql<ChatRoomRow>(db, 'lessons/insert-room', params);
        if (inserted) return { room: inserted, created: true, softDeleted: false, createdByTrigger: false };
        // Nothing inserted: a room exists, committed (ON CONFLICT waited for its writer) and
        // visible to this new statement, unless it was hard-deleted in between (then retry).
        const [found] = await runSql<FoundRoom>(db, 'lessons/find-room', params);
        if (found) {
          const { written_by_this_transaction, ...room } = found;
          return { room, created: false, softDeleted: room.deleted_at !== null, createdByTrigger: written_by_this_transaction };
        }
      }
      throw new ConflictError(`the chat room of teacher ${teacherId} and student ${studentId} keeps disappearing; try again`);
    },
    {
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        new NotFoundError(`user ${err.detail?.includes(teacherId) ? teacherId : err.detail?.includes(studentId) ? studentId : `${teacherId} or ${studentId}`} does not exist`, {
          cause: err,
        }),
    },
  );
}
