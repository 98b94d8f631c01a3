/**
 * bookops outbox stats | dedupe | requeue | retry-failed through the binary (seed 001), on the
 * legacy schema, whose UNIQUE (type, booking_id, candidate_tg_id) lets keys with a NULL repeat.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { legacySchema } from '../fixtures/schema.js';
import { invokedOn } from '../fixtures/cli.js';
import { addOutbox, archived, cli, cliJson, count, expectOneLineError, tables } from '../fixtures/support.js';

const OUTBOX = ['outbox_notifications'];

describe('outbox support commands on the legacy schema', () => {
  let t: TestDatabase;
  let slot: number;
  beforeAll(async () => {
    t = await createTestDatabase('support_outbox');
    await legacySchema(t);
    slot = await addSlot(t.db, (await addRecruiter(t.db)).id, { status: 'booked', candidateTgId: 77 });
  });
  beforeEach(async () => {
    await t.db.raw('TRUNCATE outbox_notifications RESTART IDENTITY');
  });
  afterAll(async () => t?.drop());

  it('stats and dedupe: one row kept per key (sent, else pending, else failed; oldest), NULLs equal; restore row for row', async () => {
    const ids = {
      k1: [
        await addOutbox(t.db, { type: 'slot_rejected', bookingId: slot, status: 'failed' }),
        await addOutbox(t.db, { type: 'slot_rejected', bookingId: slot, status: 'SENT' }),
        await addOutbox(t.db, { type: 'slot_rejected', bookingId: slot, status: 'pending' }),
        await addOutbox(t.db, { type: 'slot_rejected', bookingId: slot, status: 'sent' }),
      ],
      k2: [
        await addOutbox(t.db, { type: 'reminder_1h', status: 'failed' }),
        await addOutbox(t.db, { type: 'reminder_1h', status: 'pending' }),
        await addOutbox(t.db, { type: 'reminder_1h', status: 'pending' }),
      ],
      k3: [await addOutbox(t.db, { type: 'reminder_2h', bookingId: slot, status: 'failed' }), await addOutbox(t.db, { type: 'reminder_2h', bookingId: slot, status: 'failed' })],
      single: [await addOutbox(t.db, { type: 'slot_rejected', bookingId: slot, candidate: 77, status: 'sent' })],
    };
    const stats = await cliJson(t, 'outbox', 'stats');
    expect(stats).toMatchObject({
      total: 10,
      byStatus: { sent: 3, pending: 3, failed: 4 },
      byType: { slot_rejected: 5, reminder_1h: 3, reminder_2h: 2 },
      duplicateKeys: 3,
      duplicateRows: 6,
      failedWithoutRetry: 4,
    });
    // The ids it counts, not a pointer elsewhere: the extra rows dedupe removes, the failed rows.
    const extra = [ids.k1[0], ids.k1[2], ids.k1[3], ids.k2[0], ids.k2[2], ids.k3[1]].sort((a, b) => a - b);
    const failed = (await t.db('outbox_notifications').whereRaw("lower(status) = 'failed'").orderBy('id').pluck('id')).map(Number);
    expect(failed).toHaveLength(4);
    // The fixture's rows are hours old: its pending ones are stuck.
    const pending = (await t.db('outbox_notifications').whereRaw("lower(status) = 'pending'").orderBy('id').pluck('id')).map(Number);
    expect(pending).toHaveLength(3);
    expect(stats.ids).toEqual({ duplicateRows: extra, stuck: pending, failedWithoutRetry: failed });
    const text = (await cli(t, 'outbox', 'stats')).stdout;
    expect(text).toContain(`3 duplicate key(s) (type, booking_id, candidate_tg_id), 6 extra row(s): ${extra.join(', ')} (${invokedOn(t.url)} outbox dedupe)`);
    expect(text).toContain(`3 stuck pending row(s): ${pending.join(', ')} (${invokedOn(t.url)} outbox requeue ${pending.join(' ')})`);
    expect(text).toContain(`4 failed row(s) with no retry ahead: ${failed.join(', ')} (${invokedOn(t.url)} outbox retry-failed)`);
    const few = (await cli(t, 'outbox', 'stats', '--sample', '2')).stdout;
    expect(few).toContain(`6 extra row(s): ${extra.slice(0, 2).join(', ')} and 4 more (${invokedOn(t.url)} outbox dedupe)`);
    expect(JSON.parse((await cli(t, '--json', 'outbox', 'stats', '--sample', '2')).stdout).ids.duplicateRows).toEqual(extra.slice(0, 2));
    const before = await tables(t.db, OUTBOX);

    const dry = await cliJson(t, '--dry-run', 'outbox', 'dedupe');
    expect(dry.plan).toMatchObject({ keys: 3, count: 6 });
    const keepOf = Object.fromEntries(dry.plan.sample.rows.map((r: { id: number; keep_id: number }) => [r.id, r.keep_id]));
    expect(keepOf).toEqual({
      [ids.k1[0]]: ids.k1[1],
      [ids.k1[2]]: ids.k1[1],
      [ids.k1[3]]: ids.k1[1],
      [ids.k2[0]]: ids.k2[1],
      [ids.k2[2]]: ids.k2[1],
      [ids.k3[1]]: ids.k3[0],
    });
    expectOneLineError(await cli(t, 'outbox', 'dedupe'), 4);
    expect(await tables(t.db, OUTBOX)).toEqual(before);

    const done = await cliJson(t, '--yes', 'outbox', 'dedupe', '--batch-size', '2');
    expect(done.result).toEqual({ rows: 6, batches: 3 });
    const op = done.archiveOperation;
    expect(await archived(t.db, op)).toEqual({ 'outbox_notifications:deleted': 6 });
    expect(await count(t.db, 'SELECT count(DISTINCT xmin::text) FROM bookops_archive_rows WHERE operation_id = :op', { op })).toBe(3);
    expect((await t.db('outbox_notifications').orderBy('id').pluck('id')).map(Number)).toEqual([ids.k1[1], ids.k2[1], ids.k3[0], ids.single[0]]);
    expect(JSON.parse((await cli(t, '--json', 'audit', 'outbox.duplicates')).stdout).checks[0].count).toBe(0);
    expect(await cliJson(t, '--yes', 'outbox', 'dedupe')).toMatchObject({ nothingToDo: true });

    expect((await cli(t, '--yes', 'archive', 'restore', String(op))).code).toBe(0);
    expect(await tables(t.db, OUTBOX)).toEqual(before);
  });

  it('requeue: failed, stuck and unlocked pending rows back to pending; sent, in-flight and unknown ids refused, nothing changed', async () => {
    const failed = await addOutbox(t.db, { type: 'a', bookingId: slot, candidate: 1, status: 'failed' });
    const stuck = await addOutbox(t.db, { type: 'b', bookingId: slot, candidate: 1, status: 'pending', lockedMinutesAgo: 60 });
    const waiting = await addOutbox(t.db, { type: 'c', bookingId: slot, candidate: 1, status: 'pending', retryInMinutes: 30 });
    const inFlight = await addOutbox(t.db, { type: 'd', bookingId: slot, candidate: 1, status: 'pending', lockedMinutesAgo: 1 });
    const sent = await addOutbox(t.db, { type: 'e', bookingId: slot, candidate: 1, status: 'sent' });
    const before = await tables(t.db, OUTBOX);
    // outbox stats lists the stuck ids, and the whole requeue command when it lists them all.
    const stats = await cliJson(t, 'outbox', 'stats');
    expect(stats).toMatchObject({ stuck: 1, ids: { stuck: [stuck] } });
    expect(stats.ids.failedWithoutRetry).toContain(failed);
    expect((await cli(t, 'outbox', 'stats')).stdout).toContain(`1 stuck pending row(s): ${stuck} (${invokedOn(t.url)} outbox requeue ${stuck})`);

    expectOneLineError(await cli(t, '--yes', 'outbox', 'requeue', String(failed), String(sent)), 6, new RegExp(`cannot requeue: ${sent} is sent`));
    expectOneLineError(await cli(t, '--yes', 'outbox', 'requeue', String(inFlight)), 6, new RegExp(`${inFlight} is being sent`));
    expectOneLineError(await cli(t, '--yes', 'outbox', 'requeue', String(failed), '999999'), 5, /outbox row\(s\) 999999 do not exist/);
    // A mistyped range: the message names the first 20 missing ids and counts the rest.
    const range = Array.from({ length: 500 }, (_, i) => String(900_001 + i));
    expectOneLineError(
      await cli(t, '--yes', 'outbox', 'requeue', String(failed), ...range),
      5,
      `bookops: outbox row(s) ${range.slice(0, 20).join(', ')} and 480 more do not exist; nothing was changed`,
    );
    expectOneLineError(await cli(t, '--yes', 'outbox', 'requeue', 'abc'), 2, /argument <id>: 'abc' is not a positive whole number/);
    expectOneLineError(await cli(t, 'outbox', 'requeue', String(failed)), 4);
    expect(await tables(t.db, OUTBOX)).toEqual(before);

    const done = await cliJson(t, '--yes', 'outbox', 'requeue', String(failed), String(stuck), String(waiting), String(failed));
    expect(done.result).toEqual({ requeued: 3 });
    expect(await archived(t.db, done.archiveOperation)).toEqual({ 'outbox_notifications:updated': 3 });
    const rows = await t.db('outbox_notifications').whereIn('id', [failed, stuck, waiting]).select('status', 'attempts', 'locked_at', 'next_retry_at', 'last_error');
    expect(rows.map((r) => [r.status, r.attempts, r.locked_at])).toEqual(Array(3).fill(['pending', 0, null]));
    // Due now: the worker picks them up, and the audit counts their wait from the requeue.
    expect(rows.every((r) => r.next_retry_at instanceof Date && Math.abs(Date.now() - r.next_retry_at.getTime()) < 600_000)).toBe(true);
    expect(rows.some((r) => r.last_error === 'Bad Request: chat not found')).toBe(true);
    const audit = JSON.parse((await cli(t, '--json', 'audit', 'outbox.stuck')).stdout);
    expect(audit.checks[0].sample.map((r: { id: number }) => r.id)).not.toContain(stuck);

    // The worker sends one of them meanwhile: the restore refuses rather than set it back to failed.
    const requeued = await tables(t.db, OUTBOX);
    await t.db('outbox_notifications').where({ id: failed }).update({ status: 'sent' });
    const afterSend = await tables(t.db, OUTBOX);
    expectOneLineError(
      await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation)),
      6,
      /cannot restore: a row this operation changed in outbox_notifications was changed or deleted since; nothing was restored/,
    );
    expect(await tables(t.db, OUTBOX)).toEqual(afterSend);
    await t.db('outbox_notifications').where({ id: failed }).update({ status: 'pending' });
    expect(await tables(t.db, OUTBOX)).toEqual(requeued);

    expect((await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation))).code).toBe(0);
    expect(await tables(t.db, OUTBOX)).toEqual(before);
  });

  it('retry-failed: every failed row with no retry ahead, --type narrows, in committed batches; restore row for row', async () => {
    for (let i = 0; i < 5; i++) await addOutbox(t.db, { type: i < 2 ? 'reminder_1h' : 'candidate_rejection', bookingId: slot, candidate: 100 + i, status: i % 2 ? 'FAILED' : 'failed' });
    const later = await addOutbox(t.db, { type: 'reminder_1h', bookingId: slot, candidate: 200, status: 'failed', retryInMinutes: 10 });
    await addOutbox(t.db, { type: 'reminder_1h', bookingId: slot, candidate: 201, status: 'sent' });
    const before = await tables(t.db, OUTBOX);

    const typed = await cliJson(t, '--dry-run', 'outbox', 'retry-failed', '--type', 'reminder_1h');
    expect(typed.plan).toMatchObject({ count: 2, type: 'reminder_1h' });
    expectOneLineError(await cli(t, 'outbox', 'retry-failed'), 4);
    expect(await tables(t.db, OUTBOX)).toEqual(before);

    const done = await cliJson(t, '--yes', 'outbox', 'retry-failed', '--batch-size', '2');
    expect(done.result).toEqual({ rows: 5, batches: 3 });
    const op = done.archiveOperation;
    expect(await archived(t.db, op)).toEqual({ 'outbox_notifications:updated': 5 });
    expect(await count(t.db, 'SELECT count(DISTINCT xmin::text) FROM bookops_archive_rows WHERE operation_id = :op', { op })).toBe(3);
    expect(await count(t.db, `SELECT count(*) FROM outbox_notifications WHERE lower(status) = 'failed'`)).toBe(1);
    expect(await t.db('outbox_notifications').where({ id: later }).first()).toMatchObject({ status: 'failed' });

    expect((await cli(t, '--yes', 'archive', 'restore', String(op))).code).toBe(0);
    expect(await tables(t.db, OUTBOX)).toEqual(before);
  });
});
