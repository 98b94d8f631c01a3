/**
 * Seed 004: every active booking has the chat room of its (teacher, student) pair, created by the
 * database when the booking is inserted as active or becomes active, never for a teacher booking
 * themself, never twice. Red on the legacy schema (no trigger: an active booking has no room);
 * after migration 0006 the trigger creates it. activateBooking yields exactly one room on both.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UsageError } from '../../../src/errors.js';
import { activateBooking, getOrCreateRoom } from '../../../src/domain/lessons/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { one, SCHEMAS } from '../../fixtures/domain.js';

let seq = 0;
async function user(db: Knex): Promise<string> {
  seq += 1;
  return (await one<{ id: string }>(db, `INSERT INTO users (email) VALUES (:email) RETURNING id`, { email: `u${seq}-${Date.now()}@example.invalid` })).id;
}
async function lesson(db: Knex, teacherId: string): Promise<string> {
  return (await one<{ id: string }>(db, `INSERT INTO lessons (teacher_id, student_id, start_time, end_time) VALUES (:t, :t, now(), now() + interval '1 hour') RETURNING id`, { t: teacherId })).id;
}
async function booking(db: Knex, lessonId: string, studentId: string, status: string): Promise<string> {
  return (await one<{ id: string }>(db, `INSERT INTO bookings (lesson_id, student_id, status) VALUES (:lessonId, :studentId, :status) RETURNING id`, { lessonId, studentId, status })).id;
}

describe.each(SCHEMAS)('seed 004 on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const legacy = schema === 'legacy';
  beforeAll(async () => {
    t = await createTestDatabase(`seed004_${schema}`);
    await apply(t);
  });
  afterAll(async () => t?.drop());
  const rooms = async (teacherId: string, studentId: string) =>
    (await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM chat_rooms WHERE teacher_id = :teacherId AND student_id = :studentId', { teacherId, studentId })).n;
  const activate = (bookingId: string) => t.db.transaction((trx) => activateBooking(trx, { bookingId }));

  it('a booking inserted as active', async () => {
    const teacher = await user(t.db);
    const student = await user(t.db);
    const bookingId = await booking(t.db, await lesson(t.db, teacher), student, 'active');
    // Red on legacy: nothing creates the room. Fixed: the insert trigger did.
    expect(await rooms(teacher, student)).toBe(legacy ? 0 : 1);
    const r = await activate(bookingId);
    expect(r).toMatchObject({ statusChanged: false, selfBooking: false, roomSoftDeleted: false, roomCreatedBy: legacy ? 'rule' : null });
    expect(r.room).toMatchObject({ teacher_id: teacher, student_id: student, deleted_at: null });
    expect(await rooms(teacher, student)).toBe(1);
  });

  it('a booking updated to active', async () => {
    const teacher = await user(t.db);
    const student = await user(t.db);
    const lessonId = await lesson(t.db, teacher);
    const plain = await booking(t.db, lessonId, student, 'pending');
    // The platform's own UPDATE: red on legacy (no room), the update trigger after the fix.
    await t.db.raw(`UPDATE bookings SET status = 'active' WHERE id = :plain`, { plain });
    expect(await rooms(teacher, student)).toBe(legacy ? 0 : 1);

    const student2 = await user(t.db);
    const viaRule = await booking(t.db, lessonId, student2, 'pending');
    const r = await activate(viaRule);
    expect(r).toMatchObject({ previousStatus: 'pending', statusChanged: true, roomCreatedBy: legacy ? 'rule' : 'trigger', booking: { status: 'active' } });
    expect(await rooms(teacher, student2)).toBe(1);
    // Activating again: already active, same room, no second one.
    const again = await activate(viaRule);
    expect(again).toMatchObject({ statusChanged: false, roomCreatedBy: null, room: { id: r.room!.id } });
    expect(await rooms(teacher, student2)).toBe(1);
  });

  it('a teacher booking their own lesson gets no room', async () => {
    const teacher = await user(t.db);
    const bookingId = await booking(t.db, await lesson(t.db, teacher), teacher, 'active');
    const pending = await booking(t.db, await lesson(t.db, teacher), teacher, 'pending');
    expect(await activate(bookingId)).toMatchObject({ selfBooking: true, room: null });
    expect(await activate(pending)).toMatchObject({ selfBooking: true, room: null, statusChanged: true });
    expect(await rooms(teacher, teacher)).toBe(0);
    await expect(getOrCreateRoom(t.db, { teacherId: teacher, studentId: teacher })).rejects.toBeInstanceOf(UsageError);
  });

  it('an upper-case ACTIVE booking is already active', async () => {
    const teacher = await user(t.db);
    const student = await user(t.db);
    const bookingId = await booking(t.db, await lesson(t.db, teacher), student, 'ACTIVE');
    const r = await activate(bookingId);
    expect(r).toMatchObject({ statusChanged: false, booking: { status: 'ACTIVE' } });
    expect(await rooms(teacher, student)).toBe(1);
  });

  it('get-or-create returns the same room; a soft-deleted room is neither resurrected nor duplicated', async () => {
    const teacher = await user(t.db);
    const student = await user(t.db);
    const first = await getOrCreateRoom(t.db, { teacherId: teacher, studentId: student });
    expect(first).toMatchObject({ created: true, softDeleted: false });
    const second = await getOrCreateRoom(t.db, { teacherId: teacher.toUpperCase(), studentId: student });
    expect(second).toMatchObject({ created: false, softDeleted: false, room: { id: first.room.id } });

    await t.db.raw('UPDATE chat_rooms SET deleted_at = now() WHERE id = :id', { id: first.room.id });
    const deleted = await getOrCreateRoom(t.db, { teacherId: teacher, studentId: student });
    expect(deleted).toMatchObject({ created: false, softDeleted: true, room: { id: first.room.id } });
    expect(deleted.room.deleted_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/); // timestamp text, as the server holds it
    expect(await rooms(teacher, student)).toBe(1);
    // Activating a booking of that pair reports the soft-deleted room the same way.
    const bookingId = await booking(t.db, await lesson(t.db, teacher), student, 'pending');
    expect(await activate(bookingId)).toMatchObject({ roomSoftDeleted: true, roomCreatedBy: null, room: { id: first.room.id } });
    expect(await rooms(teacher, student)).toBe(1);
  });

  it('refuses unknown users and bookings, deleted bookings, and bad ids', async () => {
    const teacher = await user(t.db);
    await expect(getOrCreateRoom(t.db, { teacherId: teacher, studentId: '00000000-0000-0000-0000-000000000001' })).rejects.toBeInstanceOf(NotFoundError);
    await expect(activate('00000000-0000-0000-0000-000000000002')).rejects.toBeInstanceOf(NotFoundError);
    await expect(activate('not-a-uuid')).rejects.toBeInstanceOf(UsageError);
    const student = await user(t.db);
    const bookingId = await booking(t.db, await lesson(t.db, teacher), student, 'pending');
    await t.db.raw('UPDATE bookings SET deleted_at = now() WHERE id = :bookingId', { bookingId });
    await expect(activate(bookingId)).rejects.toBeInstanceOf(ConflictError);
    expect(await rooms(teacher, student)).toBe(0);
  });
});
