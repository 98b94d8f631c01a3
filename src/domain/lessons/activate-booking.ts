/**
 * Activating a booking yields exactly one chat room for (lesson teacher, student), never one for
 * a teacher booking themself (seed 004). On the legacy schema no trigger exists and this rule
 * creates the room; after migration 0006 the trigger creates it inside this transaction and the
 * rule finds it. Either way the room comes from get-or-create, so there is never a second one.
 */
import type { Knex } from 'knex';
import { translated } from '../../data/db.js';
import * as lessons from '../../data/lessons.repository.js';
import type { BookingRow, ChatRoomRow } from '../../data/lessons.repository.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { requireUuid } from '../validate.js';
import { getOrCreateRoom } from './get-or-create-room.js';

export interface ActivateBookingResult {
  booking: BookingRow;
  previousStatus: string | null;
  /** The status really changed to active now (false: it was already active, any letter case). */
  statusChanged: boolean;
  teacherId: string;
  /** The pair's room; null only for a teacher booking themself. */
  room: ChatRoomRow | null;
  /** Who made the room during this call: this rule, the chat trigger, or nobody (it existed). */
  roomCreatedBy: 'rule' | 'trigger' | null;
  /** The pair's only room is soft-deleted and was left so (not resurrected, not duplicated). */
  roomSoftDeleted: boolean;
  selfBooking: boolean;
}

export async function activateBooking(trx: Knex.Transaction, input: { bookingId: string }): Promise<ActivateBookingResult> {
  const bookingId = requireUuid('bookingId', input.bookingId);
  return translated(async () => {
    const locked = await lessons.lockBooking(trx, bookingId);
    if (!locked) throw new NotFoundError(`booking ${bookingId} does not exist`);
    if (locked.deleted_at !== null) throw new ConflictError(`booking ${bookingId} is deleted; it cannot be activated`);
    if (locked.lesson_deleted_at !== null) throw new ConflictError(`the lesson of booking ${bookingId} is deleted; it cannot be activated`);
    const { teacher_id: teacherId, lesson_deleted_at: _l, active, ...current } = locked;
    let booking: BookingRow = current;
    if (!active) booking = (await lessons.activateBooking(trx, bookingId))!;
    const base = { booking, previousStatus: locked.status, statusChanged: !active, teacherId };
    if (teacherId === locked.student_id) {
      return { ...base, room: null, roomCreatedBy: null, roomSoftDeleted: false, selfBooking: true };
    }
    const got = await getOrCreateRoom(trx, { teacherId, studentId: locked.student_id });
    return {
      ...base,
      room: got.room,
      roomCreatedBy: got.created ? 'rule' : got.createdByTrigger ? 'trigger' : null,
      roomSoftDeleted: got.softDeleted,
      selfBooking: false,
    };
  });
}
