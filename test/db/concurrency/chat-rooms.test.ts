/**
 * Chat rooms under contention where the unique key on chat_rooms (teacher_id, student_id) is
 * missing (dropped on a live database, or never there): 40 barrier-started connections, each in
 * its own transaction. getOrCreateRoom (and, after migration 0006, the chat trigger) serialises the
 * creators of a pair on a transaction advisory lock, so get-or-create and activation still give
 * one room; under REPEATABLE READ, where a snapshot taken before the wait cannot see the room,
 * get-or-create refuses instead of creating a second one.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RefusedError } from '../../../src/errors.js';
import { activateBooking, getOrCreateRoom } from '../../../src/domain/lessons/index.js';
import { barrier, raceIn, settleAll, type Settled } from '../../fixtures/barrier.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { one, SCHEMAS } from '../../fixtures/domain.js';

const N = 40;

/** Drops every unique constraint and index of chat_rooms but its primary key, whatever their names. */
const DROP_ROOM_KEYS = `
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 'chat_rooms'::regclass AND contype = 'u' LOOP
    EXECUTE format('ALTER TABLE chat_rooms DROP CONSTRAINT %I', r.conname);
  END LOOP;
  FOR r IN SELECT indexrelid::regclass AS idx FROM pg_index WHERE indrelid = 'chat_rooms'::regclass AND indisunique AND NOT indisprimary LOOP
    EXECUTE format('DROP INDEX %s', r.idx);
  END LOOP;
END $$`;

describe.each(SCHEMAS)('chat rooms without their unique key, on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  let pool: Knex;

  const race = <T>(fn: (trx: Knex.Transaction, i: number) => Promise<T>): Promise<Settled<T>[]> => raceIn(pool, N, fn);
  const values = <T>(results: Settled<T>[]) => results.filter((r): r is { ok: true; value: T } => r.ok).map((r) => r.value);
  const errors = <T>(results: Settled<T>[]) => results.filter((r): r is { ok: false; error: unknown } => !r.ok).map((r) => r.error);
  const user = async (prefix: string) =>
    (await one<{ id: string }>(t.db, `INSERT INTO users (email) VALUES ('${prefix}-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
  const rooms = async (teacher: string, student: string) =>
    (await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM chat_rooms WHERE teacher_id = :teacher AND student_id = :student', { teacher, student })).n;

  beforeAll(async () => {
    t = await createTestDatabase(`rooms_nokey_${schema}`);
    await apply(t);
    await t.db.raw(DROP_ROOM_KEYS);
    // Waits as long as it takes: the races assert decisions, not timing.
    pool = await t.open({ poolMax: N, lockTimeoutMs: 60_000 });
    await race(async (trx) => trx.raw('SELECT 1'));
  });
  afterAll(async () => {
    await pool?.destroy();
    await t?.drop();
  });

  it('the key is really gone', async () => {
    expect((await one<{ n: number }>(t.db, "SELECT count(*)::int AS n FROM pg_index WHERE indrelid = 'chat_rooms'::regclass AND indisunique AND NOT indisprimary")).n).toBe(0);
  });

  it(`${N} parallel get-or-create calls of one pair return one room`, async () => {
    const [teacher, student] = [await user('t'), await user('s')];
    const results = await race((trx) => getOrCreateRoom(trx, { teacherId: teacher, studentId: student }));
    expect(errors(results)).toEqual([]);
    expect(new Set(values(results).map((v) => v.room.id)).size).toBe(1);
    expect(values(results).filter((v) => v.created)).toHaveLength(1);
    expect(await rooms(teacher, student)).toBe(1);
  });

  it(`${N} parallel get-or-create calls without a transaction of the caller's return one room`, async () => {
    const [teacher, student] = [await user('t'), await user('s')];
    const gate = barrier(N);
    const results = await settleAll(
      Array.from({ length: N }, async () => {
        await gate.arrive();
        return getOrCreateRoom(pool, { teacherId: teacher, studentId: student });
      }),
    );
    expect(errors(results)).toEqual([]);
    expect(new Set(values(results).map((v) => v.room.id)).size).toBe(1);
    expect(await rooms(teacher, student)).toBe(1);
  });

  it(`${N} bookings of one pair activated at once give one room`, async () => {
    const [teacher, student] = [await user('t'), await user('s')];
    const { rows } = await t.db.raw(
      `WITH l AS (INSERT INTO lessons (teacher_id, student_id) SELECT :teacher, :teacher FROM generate_series(1, :n) RETURNING id)
       INSERT INTO bookings (lesson_id, student_id, status) SELECT l.id, :student, 'pending' FROM l RETURNING id`,
      { teacher, student, n: N },
    );
    const results = await race((trx, i) => activateBooking(trx, { bookingId: rows[i].id }));
    expect(errors(results)).toEqual([]);
    expect(new Set(values(results).map((v) => v.room!.id)).size).toBe(1);
    expect(await rooms(teacher, student)).toBe(1);
  });

  it('under REPEATABLE READ it refuses rather than risk a second room', async () => {
    const [teacher, student] = [await user('t'), await user('s')];
    const attempt = pool.transaction((trx) => getOrCreateRoom(trx, { teacherId: teacher, studentId: student }), { isolationLevel: 'repeatable read' });
    await expect(attempt).rejects.toBeInstanceOf(RefusedError);
    await expect(attempt).rejects.toThrow(/no unique key on \(teacher_id, student_id\)/);
    expect(await rooms(teacher, student)).toBe(0);
  });
});
