/**
 * Which (teacher, student) pair needs a chat room is written once in SQL
 * (sql/lessons/chat-rules.sql, bookings-needing-a-room and missing-rooms), and read by the audit's
 * chats.* checks, `chats verify`, `chats metrics` and the backfill's plan. Migrations 0006 and 0007
 * must carry the same rule in plpgsql (the trigger function and the backfill function): this test
 * holds the three equal on bookings of every kind the rule tells apart.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_PARTS } from '../../../src/chats/health.js';
import { missingRoomsAmong } from '../../../src/data/lessons.repository.js';
import { CHAT_OBJECTS } from '../../../src/platform/chat-objects.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, one } from '../../fixtures/domain.js';
import { fixedSchema } from '../../fixtures/schema.js';

type Kind = { name: string; status: string; bookingDeleted?: boolean; lessonDeleted?: boolean; self?: boolean; room?: 'live' | 'deleted' };

/** Every distinction the rule makes, and the letter case production writes. */
const KINDS: Kind[] = [
  { name: 'active', status: 'active' },
  { name: 'ACTIVE, upper case', status: 'ACTIVE' },
  { name: 'pending', status: 'pending' },
  { name: 'cancelled', status: 'cancelled' },
  { name: 'active, booking soft-deleted', status: 'active', bookingDeleted: true },
  { name: 'active, lesson soft-deleted', status: 'active', lessonDeleted: true },
  { name: 'active, teacher booking themself', status: 'active', self: true },
  { name: 'active, the pair has a live room', status: 'active', room: 'live' },
  { name: 'active, the pair has only a soft-deleted room', status: 'active', room: 'deleted' },
];

async function user(db: Knex): Promise<string> {
  return (await one<{ id: string }>(db, `INSERT INTO users (email) VALUES ('u-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
}

/** One booking of each kind, each for a pair of its own; returns the booking ids by kind, and the pairs. */
async function plant(db: Knex): Promise<Array<{ kind: Kind; booking: string; teacher: string; student: string }>> {
  const planted = [];
  for (const kind of KINDS) {
    const teacher = await user(db);
    const student = kind.self ? teacher : await user(db);
    if (kind.room) {
      await db.raw(`INSERT INTO chat_rooms (teacher_id, student_id, deleted_at) VALUES (:teacher, :student, ${kind.room === 'deleted' ? 'now()' : 'NULL'})`, { teacher, student });
    }
    const lesson = (await one<{ id: string }>(db, `INSERT INTO lessons (teacher_id, student_id, deleted_at) VALUES (:teacher, :teacher, ${kind.lessonDeleted ? 'now()' : 'NULL'}) RETURNING id`, { teacher })).id;
    const booking = (
      await one<{ id: string }>(db, `INSERT INTO bookings (lesson_id, student_id, status, deleted_at) VALUES (:lesson, :student, :status, ${kind.bookingDeleted ? 'now()' : 'NULL'}) RETURNING id`, {
        lesson,
        student,
        status: kind.status,
      })
    ).id;
    planted.push({ kind, booking, teacher, student });
  }
  return planted;
}

const pairOf = (r: { teacher_id?: string; student_id?: string; teacher?: string; student?: string }) => `${r.teacher_id ?? r.teacher}|${r.student_id ?? r.student}`;

describe('one rule for which pair needs a chat room: SQL, trigger and backfill function agree', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('room_rule');
    await fixedSchema(t);
  });
  afterAll(async () => t?.drop());

  it('the backfill function creates exactly the rooms the rule finds missing', async () => {
    await t.db.raw(`ALTER TABLE bookings DISABLE TRIGGER ${CHAT_OBJECTS.insertTrigger}`);
    try {
      const planted = await plant(t.db);
      const missing = await HEALTH_PARTS.missing.read(t.db, 1000);
      const rule = new Set(missing.sample.map(pairOf));
      // The rule by hand: active in any letter case, nothing soft-deleted, not a teacher with themself, no room at all.
      expect([...rule].sort()).toEqual(planted.filter((p) => ['active', 'ACTIVE, upper case'].includes(p.kind.name)).map(pairOf).sort());
      const before = new Set((await all<{ teacher_id: string; student_id: string }>(t.db, 'SELECT teacher_id, student_id FROM chat_rooms')).map(pairOf));
      await t.db.raw(`SELECT ${CHAT_OBJECTS.backfillFunction}(CAST(:ids AS uuid[]))`, { ids: planted.map((p) => p.booking) });
      const created = (await all<{ teacher_id: string; student_id: string }>(t.db, 'SELECT teacher_id, student_id FROM chat_rooms')).map(pairOf).filter((p) => !before.has(p));
      expect(created.sort()).toEqual([...rule].sort());
      expect((await HEALTH_PARTS.missing.read(t.db, 10)).count).toBe(0);
    } finally {
      await t.db.raw(`ALTER TABLE bookings ENABLE TRIGGER ${CHAT_OBJECTS.insertTrigger}`);
    }
  });

  it("the re-check after a backfill finds what is still missing among the bookings it names, and the narrowed blocked-by-deleted finds every blocked pair", async () => {
    await t.db.raw(`ALTER TABLE bookings DISABLE TRIGGER ${CHAT_OBJECTS.insertTrigger}`);
    try {
      const planted = await plant(t.db);
      const full = await HEALTH_PARTS.missing.read(t.db, 1000);
      const ids = planted.map((p) => p.booking);
      const among = await missingRoomsAmong(t.db, ids, 1000);
      const mine = planted.filter((p) => ['active', 'ACTIVE, upper case'].includes(p.kind.name));
      expect(among.sample.map(pairOf).sort()).toEqual(mine.map(pairOf).sort());
      expect(among).toMatchObject({ count: 2, details: { bookings: 2 } });
      expect(full.count).toBeGreaterThanOrEqual(among.count);
      // Only the named bookings: one of them alone finds only its pair.
      expect((await missingRoomsAmong(t.db, [mine[0].booking], 10)).sample.map(pairOf)).toEqual([pairOf(mine[0])]);
      expect((await missingRoomsAmong(t.db, [], 10)).count).toBe(0);
      // Narrowed to pairs with a soft-deleted room, blocked-by-deleted still finds the pair, with its bookings.
      const blocked = await HEALTH_PARTS.blockedByDeleted.read(t.db, 1000);
      const deletedPair = planted.find((p) => p.kind.room === 'deleted')!;
      expect(Number(blocked.sample.find((r) => pairOf(r as never) === pairOf(deletedPair))?.bookings)).toBe(1);
      await t.db.raw(`SELECT ${CHAT_OBJECTS.backfillFunction}(CAST(:ids AS uuid[]))`, { ids });
      expect((await missingRoomsAmong(t.db, ids, 10)).count).toBe(0);
    } finally {
      await t.db.raw(`ALTER TABLE bookings ENABLE TRIGGER ${CHAT_OBJECTS.insertTrigger}`);
    }
  });

  it('the trigger creates exactly the rooms the rule would find missing without it', async () => {
    const before = new Set((await all<{ teacher_id: string; student_id: string }>(t.db, 'SELECT teacher_id, student_id FROM chat_rooms')).map(pairOf));
    const planted = await plant(t.db);
    const created = (await all<{ teacher_id: string; student_id: string }>(t.db, 'SELECT teacher_id, student_id FROM chat_rooms')).map(pairOf).filter((p) => !before.has(p));
    // Rooms the test planted itself (live or soft-deleted) are not the trigger's.
    const plantedRooms = new Set(planted.filter((p) => p.kind.room).map(pairOf));
    expect(created.filter((p) => !plantedRooms.has(p)).sort()).toEqual(planted.filter((p) => ['active', 'ACTIVE, upper case'].includes(p.kind.name)).map(pairOf).sort());
    expect((await HEALTH_PARTS.missing.read(t.db, 10)).count).toBe(0);
    // The pair whose only room is soft-deleted is the rule's other finding, and the trigger leaves it alone too.
    const blocked = await HEALTH_PARTS.blockedByDeleted.read(t.db, 100);
    const deletedPair = planted.find((p) => p.kind.room === 'deleted')!;
    expect(blocked.sample.map(pairOf)).toContain(pairOf(deletedPair));
  });
});
