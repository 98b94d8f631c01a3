/**
 * Migration 0006's chat trigger and 0007's backfill function, beyond seed 004's two cases: an
 * update that makes a booking need a room (undeleted while active, moved to another student)
 * creates it; a pair's room is never made twice, even without the unique key on chat_rooms
 * (sequentially: NOT EXISTS; concurrently, 40 barrier-started inserts: the pair's advisory lock);
 * the functions' pinned search_path keeps an application session with another search_path from
 * breaking them, and `chats verify` notices when the pin is gone.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_OBJECTS } from '../../../src/platform/chat-objects.js';
import { barrier, settleAll } from '../../fixtures/barrier.js';
import { runCli } from '../../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { one } from '../../fixtures/domain.js';
import { fixedSchema } from '../../fixtures/schema.js';

const N = 40;

describe('the chat trigger and backfill function (fixed schema)', () => {
  let t: TestDatabase;
  let nokey: TestDatabase;

  const user = async (db: Knex) => (await one<{ id: string }>(db, `INSERT INTO users (email) VALUES ('u-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
  const lesson = async (db: Knex, teacher: string) => (await one<{ id: string }>(db, 'INSERT INTO lessons (teacher_id, student_id) VALUES (:teacher, :teacher) RETURNING id', { teacher })).id;
  const booking = async (db: Knex, lessonId: string, student: string, status: string, deleted = false) =>
    (
      await one<{ id: string }>(db, `INSERT INTO bookings (lesson_id, student_id, status, deleted_at) VALUES (:lessonId, :student, :status, ${deleted ? 'now()' : 'NULL'}) RETURNING id`, {
        lessonId,
        student,
        status,
      })
    ).id;
  const rooms = async (db: Knex, teacher: string, student: string) =>
    (await one<{ n: number }>(db, 'SELECT count(*)::int AS n FROM chat_rooms WHERE teacher_id = :teacher AND student_id = :student', { teacher, student })).n;

  beforeAll(async () => {
    [t, nokey] = await Promise.all([createTestDatabase('chat_trigger'), createTestDatabase('chat_trigger_nokey')]);
    await Promise.all([fixedSchema(t), fixedSchema(nokey)]);
    await nokey.db.raw('ALTER TABLE chat_rooms DROP CONSTRAINT chat_rooms_teacher_id_student_id_key');
  });
  afterAll(async () => Promise.all([t?.drop(), nokey?.drop()]));

  it('an active booking undeleted gets its room (soft-deleted, it needed none)', async () => {
    const [teacher, student] = [await user(t.db), await user(t.db)];
    const id = await booking(t.db, await lesson(t.db, teacher), student, 'active', true);
    expect(await rooms(t.db, teacher, student)).toBe(0);
    await t.db.raw('UPDATE bookings SET deleted_at = NULL WHERE id = :id', { id });
    expect(await rooms(t.db, teacher, student)).toBe(1);
  });

  it('an active booking moved to another student or lesson gets the new pair its room', async () => {
    const [teacher, student, other, teacher2] = [await user(t.db), await user(t.db), await user(t.db), await user(t.db)];
    const id = await booking(t.db, await lesson(t.db, teacher), student, 'active');
    await t.db.raw('UPDATE bookings SET student_id = :other WHERE id = :id', { other, id });
    expect(await rooms(t.db, teacher, other)).toBe(1);
    await t.db.raw('UPDATE bookings SET lesson_id = :l WHERE id = :id', { l: await lesson(t.db, teacher2), id });
    expect(await rooms(t.db, teacher2, other)).toBe(1);
  });

  it('without the unique key, a second active booking of a pair makes no second room', async () => {
    const [teacher, student] = [await user(nokey.db), await user(nokey.db)];
    const lessonId = await lesson(nokey.db, teacher);
    await booking(nokey.db, lessonId, student, 'active');
    const pending = await booking(nokey.db, lessonId, student, 'pending');
    await nokey.db.raw(`UPDATE bookings SET status = 'active' WHERE id = :pending`, { pending });
    await booking(nokey.db, await lesson(nokey.db, teacher), student, 'ACTIVE');
    expect(await rooms(nokey.db, teacher, student)).toBe(1);
  });

  it('without the unique key, the backfill function run on batches of one pair makes one room', async () => {
    const [teacher, student] = [await user(nokey.db), await user(nokey.db)];
    await nokey.db.raw('ALTER TABLE bookings DISABLE TRIGGER USER');
    const ids = [await booking(nokey.db, await lesson(nokey.db, teacher), student, 'active'), await booking(nokey.db, await lesson(nokey.db, teacher), student, 'active')];
    await nokey.db.raw('ALTER TABLE bookings ENABLE TRIGGER USER');
    for (const id of ids) await nokey.db.raw(`SELECT ${CHAT_OBJECTS.backfillFunction}(ARRAY[CAST(:id AS uuid)])`, { id });
    expect(await rooms(nokey.db, teacher, student)).toBe(1);
  });

  it(`without the unique key, ${N} bookings of one pair inserted as active at once make one room`, async () => {
    const [teacher, student] = [await user(nokey.db), await user(nokey.db)];
    const lessons: string[] = [];
    for (let i = 0; i < N; i++) lessons.push(await lesson(nokey.db, teacher));
    const pool = await nokey.open({ poolMax: N, lockTimeoutMs: 60_000 });
    try {
      const gate = barrier(N);
      const results = await settleAll(
        lessons.map((lessonId) =>
          pool.transaction(async (trx) => {
            await trx.raw('SELECT 1');
            await gate.arrive();
            await trx.raw(`INSERT INTO bookings (lesson_id, student_id, status) VALUES (:lessonId, :student, 'active')`, { lessonId, student });
          }),
        ),
      );
      expect(results.filter((r) => !r.ok)).toEqual([]);
    } finally {
      await pool.destroy();
    }
    expect(await rooms(nokey.db, teacher, student)).toBe(1);
  });

  it('an application session with another search_path still gets its rooms made in the schema of the migration', async () => {
    const [teacher, student] = [await user(t.db), await user(t.db)];
    const lessonId = await lesson(t.db, teacher);
    await t.db.raw('CREATE SCHEMA IF NOT EXISTS app_elsewhere; CREATE TABLE IF NOT EXISTS app_elsewhere.chat_rooms (teacher_id uuid, student_id uuid)');
    await t.db.transaction(async (trx) => {
      await trx.raw('SET LOCAL search_path = app_elsewhere');
      await trx.raw(`INSERT INTO public.bookings (lesson_id, student_id, status) VALUES (:lessonId, :student, 'active')`, { lessonId, student });
    });
    expect(await rooms(t.db, teacher, student)).toBe(1);
    expect((await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM app_elsewhere.chat_rooms')).n).toBe(0);
  });

  it('chats verify says so when a function lost its pinned search_path', async () => {
    const { rows } = await t.db.raw('SELECT pg_get_functiondef(oid) AS def FROM pg_proc WHERE proname = ?', [CHAT_OBJECTS.triggerFunction]);
    await t.db.raw(`ALTER FUNCTION ${CHAT_OBJECTS.triggerFunction}() RESET search_path`);
    try {
      const r = await runCli(['--db', t.url, 'chats', 'verify', '--json']);
      const fn = JSON.parse(r.stdout).objects.find((o: { name: string }) => o.name === CHAT_OBJECTS.triggerFunction);
      expect(fn).toMatchObject({ state: 'differs' });
      expect(fn.problems.join()).toMatch(/no SET, expected SET search_path=public, pg_temp/);
    } finally {
      await t.db.raw(rows[0].def);
    }
    const again = JSON.parse((await runCli(['--db', t.url, 'chats', 'verify', '--json'])).stdout);
    expect(again.objects.find((o: { name: string }) => o.name === CHAT_OBJECTS.triggerFunction)).toMatchObject({ state: 'ok' });
  });
});
