/**
 * The chat room of a (teacher, student) pair, created when missing (seed 004's lazy
 * GetOrCreateRoom). Converges: every concurrent caller gets the same room back. Creators of one
 * pair are serialised on a transaction advisory lock of the pair (the chat trigger function takes
 * the same one), and the insert is `INSERT … WHERE NOT EXISTS … ON CONFLICT DO NOTHING
 * RETURNING`: a caller that waited finds the room its predecessor committed, with or without the
 * unique key on chat_rooms (teacher_id, student_id). A teacher never gets a room with themself. A
 * soft-deleted room is neither resurrected nor duplicated: it is returned flagged softDeleted so
 * the caller can say so (audit check chats.blocked-by-deleted; restore it, or delete it if it has no messages).
 */
import { inTransaction, translated, type Db } from '../../data/db.js';
import * as lessons from '../../data/lessons.repository.js';
import type { ChatRoomRow } from '../../data/lessons.repository.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import { ConflictError, NotFoundError, RefusedError, UsageError } from '../../errors.js';
import { CHAT_ROOM_PAIR_LOCK } from '../../platform/chat-objects.js';
import { requireUuid } from '../validate.js';
import { hasRoomKey } from '../../chats/room-key.js';
import { asInvoked } from '../../invocation.js';

export interface GetOrCreateRoomResult {
  room: ChatRoomRow;
  /** This call inserted the room. */
  created: boolean;
  /** The pair's only room is soft-deleted; it was returned as it is, not resurrected. */
  softDeleted: boolean;
  /** The room was written by the caller's transaction, but not by this call (the chat trigger). */
  createdByTrigger: boolean;
}

/** Attempts before giving up when the pair's room is deleted between our insert and our read. */
const ATTEMPTS = 3;

export async function getOrCreateRoom(db: Db, input: { teacherId: string; studentId: string }): Promise<GetOrCreateRoomResult> {
  const teacherId = requireUuid('teacherId', input.teacherId);
  const studentId = requireUuid('studentId', input.studentId);
  if (teacherId === studentId) throw new UsageError(`a teacher never gets a chat room with themself (user ${teacherId})`);
  const params = { teacherId, studentId };
  return translated(
    () =>
      // The pair lock is transaction-scoped: a caller without a transaction gets one for the call.
      inTransaction(db, async (trx) => {
        const lock = await lessons.lockPair(trx, params, CHAT_ROOM_PAIR_LOCK);
        // A REPEATABLE READ snapshot predates the wait: only the unique key can still see the
        // predecessor's room (the insert then fails with a serialization error, "try again").
        if (lock.isolation === 'repeatable read' && !(await hasRoomKey(trx))) {
          throw new RefusedError('chat_rooms has no unique key on (teacher_id, student_id): get-or-create of a room needs READ COMMITTED or SERIALIZABLE then', {
            hint: `${asInvoked('chats verify')} shows the repair of the key`,
          });
        }
        for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
          const inserted = await lessons.insertRoom(trx, params);
          if (inserted) return { room: inserted, created: true, softDeleted: false, createdByTrigger: false };
          // Nothing inserted: a room exists, committed (the lock, or ON CONFLICT, waited for its
          // writer) and visible to this new statement, unless it was hard-deleted in between.
          const found = await lessons.findRoom(trx, params);
          if (found) {
            const { written_by_this_transaction, ...room } = found;
            return { room, created: false, softDeleted: room.deleted_at !== null, createdByTrigger: written_by_this_transaction };
          }
        }
        throw new ConflictError(`the chat room of teacher ${teacherId} and student ${studentId} keeps disappearing; try again`);
      }),
    {
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        new NotFoundError(`user ${err.detail?.includes(teacherId) ? teacherId : err.detail?.includes(studentId) ? studentId : `${teacherId} or ${studentId}`} does not exist`, {
          cause: err,
        }),
    },
  );
}
