/**
 * Seed 000: UNIQUE (time_slot_id) counts cancelled interviews, so a cancelled slot can never be
 * booked again. Red on the legacy schema (the bot's plain insert fails), then the rule books it
 * on both schemas: archiving the cancelled rows under the legacy key, keeping them after the fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreOperation } from '../../../src/archive/restore.js';
import { ConflictError, NotFoundError, UsageError } from '../../../src/errors.js';
import { bookSlot, cancelInterview, interviewKeyShape } from '../../../src/domain/interviews/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, archivedCounts, one, SCHEMAS, withOp } from '../../fixtures/domain.js';

describe.each(SCHEMAS)('seed 000 on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const legacy = schema === 'legacy';
  let nextSlot = 0;
  const newSlot = async () => {
    nextSlot += 1;
    const row = await one<{ id: number }>(
      t.db,
      `INSERT INTO time_slots (interviewer_id, start_time, end_time) VALUES (7, now() + make_interval(hours => :h), now() + make_interval(hours => :h + 1)) RETURNING id`,
      { h: nextSlot },
    );
    return row.id;
  };
  const interviewsOf = (slotId: number) =>
    all<{ id: number; bot_user_id: number; status: string; cancelled_at: Date | null }>(
      t.db,
      'SELECT id, bot_user_id, status, cancelled_at FROM interviews WHERE time_slot_id = :slotId ORDER BY id',
      { slotId },
    );
  const book = (slotId: number, userTgId: number) => withOp(t.db, async (trx, op) => ({ op, r: await bookSlot(trx, op, { slotId, userTgId }) }));
  const cancel = (interviewId: number) => t.db.transaction((trx) => cancelInterview(trx, { interviewId }));

  beforeAll(async () => {
    t = await createTestDatabase(`seed000_${schema}`);
    await apply(t);
  });
  afterAll(async () => t?.drop());

  it(legacy ? 'red: the bot\'s plain insert after a cancel violates the unique key' : 'fixed: the bot\'s plain insert after a cancel succeeds', async () => {
    const slotId = await newSlot();
    await t.db.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (:slotId, 1001, 'confirmed')`, { slotId });
    await t.db.raw(`UPDATE interviews SET status = 'cancelled', cancelled_at = now() WHERE time_slot_id = :slotId`, { slotId });
    const rebook = t.db.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (:slotId, 1001, 'confirmed')`, { slotId });
    if (legacy) {
      await expect(rebook).rejects.toMatchObject({ code: '23505' });
      expect(await interviewsOf(slotId)).toHaveLength(1);
    } else {
      await rebook;
      expect((await interviewsOf(slotId)).map((i) => i.status)).toEqual(['cancelled', 'confirmed']);
    }
  });

  it('reads the key from the catalog', async () => {
    const shape = await interviewKeyShape(t.db);
    expect(shape.legacyKey).toBe(legacy);
    expect(shape.anyKey).toBe(true);
  });

  it('book -> cancel -> book the same slot again', async () => {
    const slotId = await newSlot();
    const first = await book(slotId, 2001);
    expect(first.r.interview).toMatchObject({ time_slot_id: slotId, bot_user_id: 2001, status: 'confirmed', interviewer_id: 7 });
    expect(first.r.archivedCancelledIds).toEqual([]);

    const cancelled = await cancel(first.r.interview.id);
    expect(cancelled.alreadyCancelled).toBe(false);
    expect(cancelled.interview.status).toBe('cancelled');
    expect(cancelled.interview.cancelled_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/); // timestamp text, as the server holds it
    // Cancel keeps history; a second cancel is not an error and changes nothing.
    expect((await cancel(first.r.interview.id)).alreadyCancelled).toBe(true);

    const second = await book(slotId, 2001);
    expect(second.r.legacyPath).toBe(legacy);
    const rows = await interviewsOf(slotId);
    if (legacy) {
      expect(second.r.archivedCancelledIds).toEqual([first.r.interview.id]);
      expect(rows).toMatchObject([{ id: second.r.interview.id, status: 'confirmed' }]);
      // The cancelled interview archived, the new one recorded so a restore would remove it.
      expect(await archivedCounts(t.db, second.op.id)).toEqual({ 'interviews:deleted': 1, 'interviews:inserted': 1 });
      const archived = await one<{ row_data: { id: number; status: string } }>(
        t.db,
        "SELECT row_data FROM bookops_archive_rows WHERE operation_id = :op AND change = 'deleted'",
        { op: second.op.id },
      );
      expect(archived.row_data).toMatchObject({ id: first.r.interview.id, status: 'cancelled' });
    } else {
      expect(second.r.archivedCancelledIds).toEqual([]);
      expect(rows.map((r) => [r.id, r.status])).toEqual([
        [first.r.interview.id, 'cancelled'],
        [second.r.interview.id, 'confirmed'],
      ]);
      expect(await archivedCounts(t.db, second.op.id)).toEqual({ 'interviews:inserted': 1 });
    }
  });

  it('three users cancel one slot, then a fourth books it', async () => {
    const slotId = await newSlot();
    const archivedIds: number[] = [];
    const cancelledIds: number[] = [];
    for (const user of [3001, 3002, 3003]) {
      const booked = await book(slotId, user);
      archivedIds.push(...booked.r.archivedCancelledIds);
      await cancel(booked.r.interview.id);
      cancelledIds.push(booked.r.interview.id);
    }
    const fourth = await book(slotId, 3004);
    archivedIds.push(...fourth.r.archivedCancelledIds);
    const rows = await interviewsOf(slotId);
    if (legacy) {
      // Each rebook archived its predecessor: every cancelled interview is in the archive.
      expect(archivedIds.sort()).toEqual(cancelledIds.sort());
      expect(rows).toMatchObject([{ bot_user_id: 3004, status: 'confirmed' }]);
      const inArchive = await all<{ id: number }>(
        t.db,
        `SELECT (row_data->>'id')::int AS id FROM bookops_archive_rows WHERE table_name = 'interviews' AND change = 'deleted' AND (row_data->>'time_slot_id')::int = :slotId ORDER BY 1`,
        { slotId },
      );
      expect(inArchive.map((r) => r.id)).toEqual(cancelledIds);
    } else {
      expect(archivedIds).toEqual([]);
      expect(rows.map((r) => [r.bot_user_id, r.status])).toEqual([
        [3001, 'cancelled'],
        [3002, 'cancelled'],
        [3003, 'cancelled'],
        [3004, 'confirmed'],
      ]);
    }
  });

  it('refuses a slot held by an active interview (any letter case) and touches nothing', async () => {
    const slotId = await newSlot();
    const booked = await book(slotId, 4001);
    await t.db.raw(`UPDATE interviews SET status = 'CONFIRMED' WHERE id = :id`, { id: booked.r.interview.id });
    const err = await book(slotId, 4002).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toMatch(/taken/);
    expect(err.details).toMatchObject({ reason: 'taken', holder: { id: booked.r.interview.id, bot_user_id: 4001 } });
    expect(await interviewsOf(slotId)).toHaveLength(1);
  });

  it('refuses unknown slots and bad input before touching anything', async () => {
    await expect(book(999_999, 1)).rejects.toBeInstanceOf(NotFoundError);
    await expect(book(0, 1)).rejects.toBeInstanceOf(UsageError);
    await expect(book(1, -5)).rejects.toBeInstanceOf(UsageError);
    await expect(book('1; DROP TABLE interviews' as unknown as number, 1)).rejects.toBeInstanceOf(UsageError);
    await expect(cancel(999_999)).rejects.toBeInstanceOf(NotFoundError);
  });

  if (legacy) {
    it('finds the legacy key under another name, as a plain unique index', async () => {
      await t.db.raw('ALTER TABLE interviews DROP CONSTRAINT interviews_time_slot_id_key');
      await t.db.raw('CREATE UNIQUE INDEX some_other_name ON interviews (time_slot_id)');
      const shape = await interviewKeyShape(t.db);
      expect(shape).toMatchObject({ legacyKey: true, keys: [{ index_name: 'some_other_name', constraint_name: null, partial: false }] });
      const slotId = await newSlot();
      const first = await book(slotId, 5001);
      await cancel(first.r.interview.id);
      const second = await book(slotId, 5002);
      expect(second.r).toMatchObject({ legacyPath: true, archivedCancelledIds: [first.r.interview.id], keys: ['some_other_name'] });
    });

    it('archive restore puts the cancelled interviews back once the new booking is gone', async () => {
      const slotId = await newSlot();
      const first = await book(slotId, 6001);
      await cancel(first.r.interview.id);
      const second = await book(slotId, 6002);
      await t.db.raw('DELETE FROM interviews WHERE id = :id', { id: second.r.interview.id });
      const restored = await t.db.transaction((trx) => restoreOperation(trx, second.op.id));
      expect(restored.inserted).toEqual({ interviews: 1 });
      expect(await interviewsOf(slotId)).toMatchObject([{ id: first.r.interview.id, status: 'cancelled' }]);
    });
  }
});
