/**
 * The rules under contention: 40 connections, each with its transaction open, released at once
 * by a barrier. One slot reserved or booked by many gives exactly one winner and clean "taken"
 * conflicts; many enqueues of one key (NULL candidate included) leave one row and raise nothing;
 * many get-or-create calls, or activations of one pair's bookings, return one room. A wait
 * longer than the sessions' lock_timeout is a clean ConflictError ("try again"), never a raw error.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOperation } from '../../../src/archive/operation.js';
import { ConflictError } from '../../../src/errors.js';
import { bookSlot } from '../../../src/domain/interviews/index.js';
import { activateBooking, getOrCreateRoom } from '../../../src/domain/lessons/index.js';
import { enqueueOutbox } from '../../../src/domain/outbox/index.js';
import { reserveSlot } from '../../../src/domain/recruiting/index.js';
import { barrier, raceIn, settleAll, type Settled } from '../../fixtures/barrier.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { one, SCHEMAS } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

const N = 40;

describe.each(SCHEMAS)('concurrency on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  let pool: Knex;
  const legacy = schema === 'legacy';

  /** Runs fn N times at once, each in its own transaction on its own connection. */
  const race = <T>(fn: (trx: Knex.Transaction, i: number) => Promise<T>): Promise<Settled<T>[]> => raceIn(pool, N, fn);
  const winners = <T>(results: Settled<T>[]) => results.filter((r): r is { ok: true; value: T } => r.ok);
  const failures = <T>(results: Settled<T>[]) => results.filter((r): r is { ok: false; error: unknown } => !r.ok).map((r) => r.error);
  const count = async (sql: string, params: Record<string, unknown> = {}) => (await one<{ n: number }>(t.db, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;

  beforeAll(async () => {
    t = await createTestDatabase(`concurrency_${schema}`);
    await apply(t);
    // Race sessions wait for locks as long as it takes: how long 40 queued transactions need on
    // a loaded machine is timing, and the races assert decisions, not timing. What the
    // production lock_timeout (1 s) turns a longer wait into is the last test below.
    pool = await t.open({ poolMax: N, lockTimeoutMs: 60_000 });
    await pool.transaction((trx) => beginOperation(trx, { action: 'test.setup', commandLine: 'create the archive tables' }));
    await race(async (trx) => trx.raw('SELECT 1'));
  });
  afterAll(async () => {
    await pool?.destroy();
    await t?.drop();
  });

  it(`one slot reserved by ${N} candidates: one winner, ${N - 1} clean "taken" conflicts`, async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    const results = await race((trx, i) => reserveSlot(trx, { slotId, candidateTgId: 10_000 + i }));
    const won = winners(results);
    expect(won).toHaveLength(1);
    const errors = failures(results);
    expect(errors).toHaveLength(N - 1);
    for (const e of errors) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).details).toMatchObject({ reason: 'taken' });
    }
    expect(await one(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId })).toEqual({
      status: 'pending',
      candidate_tg_id: won[0].value.slot.candidate_tg_id,
    });
  });

  it(`one candidate reserving ${N} slots of one recruiter at once holds exactly one`, async () => {
    const recruiter = await addRecruiter(t.db);
    const slots: number[] = [];
    for (let i = 0; i < N; i++) slots.push(await addSlot(t.db, recruiter.id));
    const results = await race((trx, i) => reserveSlot(trx, { slotId: slots[i], candidateTgId: 77_777 }));
    expect(winners(results)).toHaveLength(1);
    for (const e of failures(results)) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).details).toMatchObject({ reason: 'holds_another' });
    }
    expect(await count(`slots WHERE candidate_tg_id = 77777 AND recruiter_id = :r`, { r: recruiter.id })).toBe(1);
  });

  it(`${N} parallel enqueues of one key leave one row and raise nothing`, async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    const results = await race((trx, i) => enqueueOutbox(trx, { type: 'interview_confirmed', bookingId: slotId, candidateTgId: 5, payload: { i } }));
    expect(failures(results)).toEqual([]);
    expect(winners(results).filter((r) => r.value.created)).toHaveLength(1);
    expect(new Set(winners(results).map((r) => r.value.row.id)).size).toBe(1);
    expect(await count(`outbox_notifications WHERE booking_id = :slotId`, { slotId })).toBe(1);

    // Also without a transaction of the caller's (autocommit statements).
    const gate = barrier(N);
    const auto = await settleAll(
      Array.from({ length: N }, async () => {
        await gate.arrive();
        return enqueueOutbox(pool, { type: 'slot_reminder', bookingId: slotId, candidateTgId: 5 });
      }),
    );
    expect(failures(auto)).toEqual([]);
    expect(await count(`outbox_notifications WHERE booking_id = :slotId AND type = 'slot_reminder'`, { slotId })).toBe(1);
  });

  it(`${N} parallel enqueues of a key with a NULL candidate leave one row and raise nothing`, async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    const results = await race((trx) => enqueueOutbox(trx, { type: 'recruiter_digest', bookingId: slotId, candidateTgId: null }));
    expect(failures(results)).toEqual([]);
    expect(winners(results).filter((r) => r.value.created)).toHaveLength(1);
    expect(await count(`outbox_notifications WHERE booking_id = :slotId AND candidate_tg_id IS NULL`, { slotId })).toBe(1);
  });

  it(`${N} parallel get-or-create calls return one room`, async () => {
    const teacher = (await one<{ id: string }>(t.db, `INSERT INTO users (email) VALUES ('t-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
    const student = (await one<{ id: string }>(t.db, `INSERT INTO users (email) VALUES ('s-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
    const results = await race((trx) => getOrCreateRoom(trx, { teacherId: teacher, studentId: student }));
    expect(failures(results)).toEqual([]);
    expect(new Set(winners(results).map((r) => r.value.room.id)).size).toBe(1);
    expect(winners(results).filter((r) => r.value.created)).toHaveLength(1);
    expect(await count(`chat_rooms WHERE teacher_id = :teacher AND student_id = :student`, { teacher, student })).toBe(1);
  });

  it(`${N} bookings of one pair activated at once give one room`, async () => {
    const teacher = (await one<{ id: string }>(t.db, `INSERT INTO users (email) VALUES ('t-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
    const student = (await one<{ id: string }>(t.db, `INSERT INTO users (email) VALUES ('s-' || gen_random_uuid() || '@x.invalid') RETURNING id`)).id;
    const { rows } = await t.db.raw(
      `WITH l AS (INSERT INTO lessons (teacher_id, student_id) SELECT :teacher, :teacher FROM generate_series(1, :n) RETURNING id)
       INSERT INTO bookings (lesson_id, student_id, status) SELECT l.id, :student, 'pending' FROM l RETURNING id`,
      { teacher, student, n: N },
    );
    const results = await race((trx, i) => activateBooking(trx, { bookingId: rows[i].id }));
    expect(failures(results)).toEqual([]);
    expect(new Set(winners(results).map((r) => r.value.room!.id)).size).toBe(1);
    expect(await count(`chat_rooms WHERE teacher_id = :teacher AND student_id = :student`, { teacher, student })).toBe(1);
  });

  it(`one interview slot booked by ${N} users: one winner, ${N - 1} clean "taken" conflicts`, async () => {
    const { id: slotId } = await one<{ id: number }>(t.db, `INSERT INTO time_slots (interviewer_id, start_time, end_time) VALUES (1, now(), now() + interval '1 hour') RETURNING id`);
    // A cancelled interview on the slot: under the legacy key every booker wants it gone first.
    await t.db.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status, cancelled_at) VALUES (:slotId, 1, 'cancelled', now())`, { slotId });
    const results = await race(async (trx, i) => {
      const op = await beginOperation(trx, { action: 'test.book', commandLine: 'bookops interviews rebook' });
      return bookSlot(trx, op, { slotId, userTgId: 20_000 + i });
    });
    const won = winners(results);
    expect(won).toHaveLength(1);
    for (const e of failures(results)) {
      expect(e).toBeInstanceOf(ConflictError);
      expect((e as ConflictError).details).toMatchObject({ reason: 'taken' });
    }
    expect(await count(`interviews WHERE time_slot_id = :slotId AND lower(status) IN ('pending', 'confirmed')`, { slotId })).toBe(1);
    expect(won[0].value.archivedCancelledIds).toHaveLength(legacy ? 1 : 0);
    expect(await count(`interviews WHERE time_slot_id = :slotId AND status = 'cancelled'`, { slotId })).toBe(legacy ? 0 : 1);
  });

  it('a lock held longer than lock_timeout (1 s) is a clean ConflictError "try again", and changes nothing', async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    const holder = await pool.transaction();
    try {
      await holder.raw('SELECT 1 FROM slots WHERE id = :slotId FOR UPDATE', { slotId });
      await holder.raw(`SELECT pg_advisory_xact_lock(hashtext('bookops.outbox.enqueue'), hashtext(concat_ws('|', 'digest', :slotId::text, '<null>')))`, { slotId });
      // t.db has the production session settings (lock_timeout 1 s).
      const reserving = t.db.transaction((trx) => reserveSlot(trx, { slotId, candidateTgId: 1 }));
      await expect(reserving).rejects.toBeInstanceOf(ConflictError);
      await expect(reserving).rejects.toThrow(/lock timeout.*try again/);
      const enqueuing = enqueueOutbox(t.db, { type: 'digest', bookingId: slotId, candidateTgId: null });
      await expect(enqueuing).rejects.toBeInstanceOf(ConflictError);
    } finally {
      await holder.rollback();
    }
    expect(await one(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId })).toEqual({ status: 'free', candidate_tg_id: null });
    expect(await count(`outbox_notifications WHERE booking_id = :slotId`, { slotId })).toBe(0);
  });
});

describe('one active slot per recruiter without the unique index', () => {
  let t: TestDatabase;
  let pool: Knex;
  beforeAll(async () => {
    t = await createTestDatabase('concurrency_no_index');
    await SCHEMAS.find(([name]) => name === 'legacy')![1](t);
    // A site that never had uq_slots_candidate_recruiter_active: only the rule's own lock is left.
    await t.db.raw('DROP INDEX uq_slots_candidate_recruiter_active');
    pool = await t.open({ poolMax: N, lockTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await pool?.destroy();
    await t?.drop();
  });

  it(`one candidate reserving ${N} slots of one recruiter at once still holds exactly one`, async () => {
    const recruiter = await addRecruiter(t.db);
    const slots: number[] = [];
    for (let i = 0; i < N; i++) slots.push(await addSlot(t.db, recruiter.id));
    const results = await raceIn(pool, N, (trx, i) => reserveSlot(trx, { slotId: slots[i], candidateTgId: 88_888 }));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    for (const r of results.filter((x): x is { ok: false; error: unknown } => !x.ok)) {
      expect(r.error).toBeInstanceOf(ConflictError);
      expect((r.error as ConflictError).details).toMatchObject({ reason: 'holds_another' });
    }
    const { n } = await one<{ n: number }>(t.db, 'SELECT count(*)::int AS n FROM slots WHERE candidate_tg_id = 88888');
    expect(n).toBe(1);
  });
});
