/** Lessons platform (seed 004): pairs without chat rooms, rooms blocked by deleted ones, self-rooms. */
import type { Knex } from 'knex';
import * as demo from '../../data/demo.repository.js';
import { BOOKING_ACTIVE } from '../../platform/statuses.js';
import { attempt } from '../attempt.js';
import type { SeedPlan } from '../plan.js';
import type { PlantResult } from '../types.js';

export async function seedLessons(trx: Knex.Transaction, plan: SeedPlan): Promise<void> {
  const l = plan.lessons;
  await demo.step(trx, 'lessons-users', {
    teachers: l.teachers,
    students: l.students,
    missing: l.missing,
    blocked: l.blocked,
    decoys: l.decoys,
  });
  // Rooms before bookings: a chat trigger of a fixed schema then finds them and adds nothing.
  await demo.step(trx, 'lessons-rooms', { teachers: l.teachers, pairs: l.pairs });
  await demo.step(trx, 'lessons-bookings', { teachers: l.teachers, pairs: l.pairs, lessons: l.lessons });
}

interface ChatCounts {
  missing: number;
  blocked: number;
  self_rooms: number;
  missing_teacher_id: string;
  missing_student_id: string;
}

export async function plantLessons(trx: Knex.Transaction, plan: SeedPlan): Promise<PlantResult> {
  const l = plan.lessons;
  const selfTo = l.selfRooms + l.selfBookings;
  const blockedRooms = await attempt(trx, (sp) => demo.step(sp, 'chats-blocked-rooms', { count: l.blocked, teachers: l.teachers }));
  const selfRooms = await attempt(trx, (sp) => demo.step(sp, 'chats-self-rooms', { count: l.selfRooms }));
  await demo.step(trx, 'chats-bookings', {
    teachers: l.teachers,
    missing: l.missing,
    blocked: l.blocked,
    selfFrom: l.selfRooms + 1,
    selfTo,
    decoys: l.decoys,
  });
  const duplicate = await attempt(trx, (sp) => demo.step<{ count: number }>(sp, 'chats-duplicate'));
  // Counted over the planted pairs as they now stand: a chat trigger may have opened rooms.
  const [c] = await demo.step<ChatCounts>(trx, 'chats-counts', {
    teachers: l.teachers,
    missing: l.missing,
    blocked: l.blocked,
    selfTo,
    active: BOOKING_ACTIVE,
  });
  const shortBy = (count: number, planted: number) =>
    count < planted ? `; ${planted - count} of ${planted} got a room from a chat trigger` : '';
  return {
    planted: {
      'chats.missing': {
        count: c.missing,
        note: `(teacher, student) pairs with an active booking and no chat room (seed 004)${shortBy(c.missing, l.missing)}`,
      },
      'chats.blocked-by-deleted': blockedRooms.ok
        ? { count: c.blocked, note: `the pair's only room is soft-deleted; UNIQUE blocks a new one${shortBy(c.blocked, l.blocked)}` }
        : { count: 0, note: `none: ${blockedRooms.reason}` },
      'chats.duplicates': duplicate.ok
        ? { count: duplicate.value[0].count, note: 'pairs with two live rooms' }
        : { count: 0, note: `none: ${duplicate.reason}` },
      'chats.self-rooms': selfRooms.ok
        ? { count: c.self_rooms, note: 'rooms of a teacher with themself (seed 004)' }
        : { count: 0, note: `none: ${selfRooms.reason}` },
    },
    samples: { missingChat: c.missing > 0 ? { teacherId: c.missing_teacher_id, studentId: c.missing_student_id } : undefined },
  };
}
