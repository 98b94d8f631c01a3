/**
 * bookops interviews clean-cancelled | rebook through the binary (seed 000), on the legacy
 * schema (cancelled rows block their slot) and after migration 0002 (nothing blocks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { fixedSchema, legacySchema } from '../fixtures/schema.js';
import { addInterview, addTimeSlot, archived, cli, cliJson, count, expectOneLineError, INTERVIEW_TABLES, tables } from '../fixtures/support.js';

describe('interviews support commands on the legacy schema', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_interviews_legacy');
    await legacySchema(t);
  });
  afterAll(async () => t?.drop());

  it('clean-cancelled: --dry-run shows the rows and statements; no terminal without --yes refuses; nothing changes', async () => {
    const slots = [await addTimeSlot(t.db), await addTimeSlot(t.db)];
    await addInterview(t.db, slots[0], 101, 'CANCELLED');
    await addInterview(t.db, slots[1], 102, 'cancelled');
    const active = await addTimeSlot(t.db);
    await addInterview(t.db, active, 103, 'confirmed');
    const before = await tables(t.db, INTERVIEW_TABLES);

    const dry = await cliJson(t, '--dry-run', 'interviews', 'clean-cancelled');
    expect(dry).toMatchObject({ dryRun: true, nothingToDo: false, plan: { legacyKey: true, count: 2, keys: ['interviews_time_slot_id_key'] } });
    expect(dry.plan.sample.rows.map((r: { bot_user_id: number }) => r.bot_user_id)).toEqual([101, 102]);
    // The statements as the driver receives them ($n placeholders), their values beside them.
    // The plan: the rule's ids in pages (archive/id-pages), read from the rule's predicate.
    expect(dry.plan.statements[0].sql).toMatch(/^SELECT array_agg\(p.id ORDER BY p.id\)::text AS ids\nFROM \(SELECT f.id, .* FROM \(SELECT t.id FROM "interviews" AS t WHERE \(lower\(t.status\) = \$1/);
    expect(dry.plan.statements[0].params[0]).toBe('cancelled');
    expect(dry.plan.statements[1].sql).toMatch(/^WITH gone AS \(DELETE FROM "interviews" AS t WHERE t.id = ANY\(CAST\(\$1 AS bigint\[\]\)\) AND \(\(lower/);
    const text = await cli(t, '--dry-run', 'interviews', 'clean-cancelled');
    expect(text.stdout).toContain('dry run, nothing changed: would archive and delete 2 cancelled interview(s)');

    const refused = await cli(t, 'interviews', 'clean-cancelled');
    expectOneLineError(refused, 4, /without confirmation: not on a terminal/);
    expect(await tables(t.db, INTERVIEW_TABLES)).toEqual(before);
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
  });

  it('timestamps without time zone are printed as the server holds them, whatever the operator\'s TZ', async () => {
    const slot = await addTimeSlot(t.db);
    const id = await addInterview(t.db, slot, 150, 'cancelled');
    await t.db.raw(`UPDATE interviews SET cancelled_at = '2026-11-20 10:15:30.123456' WHERE id = :id`, { id });
    const shown = async (tz: string) => {
      const r = await runCli(['--db', t.url, '--json', '--dry-run', 'interviews', 'clean-cancelled', '--slot', String(slot)], { env: { TZ: tz } });
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout).plan.sample.rows[0].cancelled_at;
    };
    expect(await shown('Asia/Tokyo')).toBe('2026-11-20 10:15:30.123456');
    expect(await shown('America/Los_Angeles')).toBe('2026-11-20 10:15:30.123456');
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
  });

  it('clean-cancelled: committed batches under one archive operation, then the slot can be booked; restore puts back row for row', async () => {
    const slots: number[] = [];
    for (let i = 0; i < 7; i++) {
      slots.push(await addTimeSlot(t.db));
      await addInterview(t.db, slots[i], 200 + i, i % 2 ? 'Cancelled' : 'cancelled');
    }
    const kept = await addTimeSlot(t.db);
    await addInterview(t.db, kept, 300, 'pending');
    const before = await tables(t.db, INTERVIEW_TABLES);
    // The defect: a cancelled interview blocks a new booking of its slot.
    await expect(t.db.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (:s, 999, 'confirmed')`, { s: slots[0] })).rejects.toMatchObject({
      code: '23505',
    });

    const r = await cliJson(t, '--yes', 'interviews', 'clean-cancelled', '--batch-size', '2');
    expect(r.result).toEqual({ rows: 7, batches: 4 });
    const op = r.archiveOperation;
    expect(await archived(t.db, op)).toEqual({ 'interviews:deleted': 7 });
    // Four transactions wrote the archive rows: four committed batches, one operation.
    expect(await count(t.db, 'SELECT count(DISTINCT xmin::text) FROM bookops_archive_rows WHERE operation_id = :op', { op })).toBe(4);
    expect(await count(t.db, 'SELECT count(*) FROM bookops_archive_operations')).toBe(1);
    expect(await count(t.db, `SELECT count(*) FROM interviews WHERE lower(status) = 'cancelled'`)).toBe(0);
    // ...and the slot can be booked again (tried in a transaction rolled back, to compare tables after).
    const trx = await t.db.transaction();
    await trx.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (:s, 999, 'confirmed')`, { s: slots[0] });
    await trx.rollback();

    const restore = await cli(t, '--yes', 'archive', 'restore', String(op));
    expect(restore.code, restore.stderr).toBe(0);
    expect(await tables(t.db, INTERVIEW_TABLES)).toEqual(before);
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
  });

  it('clean-cancelled: --slot and --older-than narrow what goes', async () => {
    const [a, b, c] = [await addTimeSlot(t.db), await addTimeSlot(t.db), await addTimeSlot(t.db)];
    await addInterview(t.db, a, 401, 'cancelled', 40);
    await addInterview(t.db, b, 402, 'cancelled', 2);
    await addInterview(t.db, c, 403, 'cancelled', 45);
    const old = await cliJson(t, '--yes', 'interviews', 'clean-cancelled', '--older-than', '30d');
    expect(old.result.rows).toBe(2);
    expect(await count(t.db, 'SELECT count(*) FROM interviews')).toBe(1);
    const none = await cliJson(t, '--yes', 'interviews', 'clean-cancelled', '--slot', String(a));
    expect(none).toMatchObject({ nothingToDo: true });
    const one = await cliJson(t, '--yes', 'interviews', 'clean-cancelled', '--slot', String(b));
    expect(one.result.rows).toBe(1);
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
  });

  it('rebook after a cancel (seed 000): archives the cancelled interview, books, explains; refuses a taken slot', async () => {
    const slot = await addTimeSlot(t.db);
    const first = await addInterview(t.db, slot, 5001, 'cancelled');
    const before = await tables(t.db, INTERVIEW_TABLES);
    const text = await cli(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '5002');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/booked time slot \d+ for user 5002: new interview \d+ \(confirmed\)/);
    expect(text.stdout).toContain(`archived and deleted cancelled interview(s) ${first}: the legacy key interviews_time_slot_id_key counted them`);
    const rows = await t.db('interviews').where({ time_slot_id: slot });
    expect(rows).toMatchObject([{ bot_user_id: 5002, status: 'confirmed' }]);
    const [{ id: op }] = await t.db('bookops_archive_operations').where({ action: 'interviews.rebook' }).orderBy('id', 'desc').limit(1);
    // The cancelled interview archived (removed = archived), the new one recorded as inserted.
    expect(await archived(t.db, op)).toEqual({ 'interviews:deleted': 1, 'interviews:inserted': 1 });

    const afterRebook = await tables(t.db, INTERVIEW_TABLES);
    const taken = await cli(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '5003');
    expectOneLineError(taken, 6, new RegExp(`time slot ${slot} is taken: interview ${rows[0].id} \\(confirmed\\) of user 5002`));
    expect(await tables(t.db, INTERVIEW_TABLES)).toEqual(afterRebook);

    // The undo: the restore removes the new interview and puts the cancelled one back.
    expect((await cli(t, '--yes', 'archive', 'restore', String(op))).code).toBe(0);
    expect(await tables(t.db, INTERVIEW_TABLES)).toEqual(before);
  });
  it('refuses to delete interviews whose removal would cascade into a table bookops does not archive; says what blocks a rebook', async () => {
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
    const slot = await addTimeSlot(t.db);
    const cancelled = await addInterview(t.db, slot, 6001, 'cancelled');
    await t.db.raw('CREATE TABLE interview_feedback (id serial PRIMARY KEY, interview_id bigint REFERENCES interviews (id) ON DELETE CASCADE, note text)');
    try {
      await t.db.raw('INSERT INTO interview_feedback (interview_id, note) VALUES (?, ?), (?, ?)', [cancelled, 'a', cancelled, 'b']);
      const before = { ...(await tables(t.db, INTERVIEW_TABLES)), feedback: await count(t.db, 'SELECT count(*) FROM interview_feedback') };
      expectOneLineError(
        await cli(t, '--yes', 'interviews', 'clean-cancelled'),
        4,
        /deleting these interviews rows would cascade to rows of interview_feedback \(interview_feedback_interview_id_fkey\), which bookops cannot archive; nothing was deleted/,
      );
      expectOneLineError(await cli(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '6002'), 4, /would cascade to rows of interview_feedback/);
      expect({ ...(await tables(t.db, INTERVIEW_TABLES)), feedback: await count(t.db, 'SELECT count(*) FROM interview_feedback') }).toEqual(before);

      // A key that blocks the delete instead: a conflict naming it, not "the slot does not exist".
      await t.db.raw('ALTER TABLE interview_feedback DROP CONSTRAINT interview_feedback_interview_id_fkey, ADD CONSTRAINT interview_feedback_interview_id_fkey FOREIGN KEY (interview_id) REFERENCES interviews (id)');
      expectOneLineError(
        await cli(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '6002'),
        6,
        /cannot clear the slot's cancelled interviews: rows of interview_feedback still reference them \(interview_feedback_interview_id_fkey\); nothing was changed/,
      );
      expect({ ...(await tables(t.db, INTERVIEW_TABLES)), feedback: await count(t.db, 'SELECT count(*) FROM interview_feedback') }).toEqual(before);
    } finally {
      await t.db.raw('DROP TABLE interview_feedback');
    }
  });
});

describe('interviews support commands after migration 0002', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_interviews_fixed');
    await fixedSchema(t);
  });
  afterAll(async () => t?.drop());

  it('clean-cancelled: nothing blocks any more; says so and changes nothing', async () => {
    const slot = await addTimeSlot(t.db);
    await addInterview(t.db, slot, 601, 'cancelled');
    const before = await tables(t.db, INTERVIEW_TABLES);
    const r = await cli(t, '--yes', 'interviews', 'clean-cancelled');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^nothing to do: nothing blocks rebooking here: interviews \(time_slot_id\) is unique only among active interviews \(interviews_time_slot_active_uidx\)/);
    expect(await tables(t.db, INTERVIEW_TABLES)).toEqual(before);
    expect(await count(t.db, `SELECT count(*) FROM pg_class WHERE relname = 'bookops_archive_operations'`)).toBe(0);
  });

  it('rebook keeps the cancelled interview as history and archives nothing but the new row', async () => {
    const slot = await addTimeSlot(t.db);
    const cancelled = await addInterview(t.db, slot, 701, 'cancelled');
    const r = await cliJson(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '702', '--status', 'pending');
    expect(r.plan).toMatchObject({ legacyKey: false, cancelledKept: [cancelled], cancelledToArchive: [] });
    expect(r.result).toMatchObject({ legacyPath: false, archivedCancelledIds: [], interview: { bot_user_id: 702, status: 'pending' } });
    expect(await archived(t.db, r.archiveOperation)).toEqual({ 'interviews:inserted': 1 });
    expect(await count(t.db, 'SELECT count(*) FROM interviews WHERE time_slot_id = :slot', { slot })).toBe(2);
    expect((await cli(t, '--yes', 'archive', 'restore', String(r.archiveOperation))).code).toBe(0);
    expect(await count(t.db, 'SELECT count(*) FROM interviews WHERE time_slot_id = :slot', { slot })).toBe(1);
  });
});
