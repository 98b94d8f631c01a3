/**
 * Seed 001: add_outbox_notification looked only for a pending row, so enqueuing a key whose row
 * was already sent inserted a duplicate (IntegrityError), and rejecting a booking twice failed.
 * Red: the bot's v2 lookup-then-insert fails. Then the rule: one row per key whatever its status,
 * a pending row refreshed, a sent or failed row returned as it is, NULL candidates included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import { enqueueOutbox } from '../../../src/domain/outbox/index.js';
import { OUTBOX_TYPES, rejectSlot, reserveSlot } from '../../../src/domain/recruiting/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, one, SCHEMAS, withOp } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

describe.each(SCHEMAS)('seed 001 on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  let recruiter: { id: number; tgChatId: number };
  beforeAll(async () => {
    t = await createTestDatabase(`seed001_${schema}`);
    await apply(t);
    recruiter = await addRecruiter(t.db);
  });
  afterAll(async () => t?.drop());

  const rowsOf = (type: string, bookingId: number | null, candidate: number | null) =>
    all<{ id: number; status: string; attempts: number; payload_json: unknown }>(
      t.db,
      `SELECT id, status, attempts, payload_json FROM outbox_notifications
       WHERE type = :type AND booking_id IS NOT DISTINCT FROM CAST(:bookingId AS int) AND candidate_tg_id IS NOT DISTINCT FROM CAST(:candidate AS bigint)`,
      { type, bookingId, candidate },
    );

  /** The bot's v2 add_outbox_notification: look for a *pending* row, insert when none. */
  const botV2Enqueue = async (type: string, bookingId: number, candidate: number) => {
    const existing = await t.db.raw(
      `SELECT id FROM outbox_notifications WHERE type = :type AND booking_id = :bookingId AND candidate_tg_id = :candidate AND status = 'pending' FOR UPDATE`,
      { type, bookingId, candidate },
    );
    if (existing.rows.length) return;
    await t.db.raw(`INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id) VALUES (:type, :bookingId, :candidate)`, { type, bookingId, candidate });
  };

  it('red: the bot\'s pending-only lookup inserts a duplicate of a sent row (unique violation)', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    await botV2Enqueue('candidate_rejection', slotId, 111);
    await t.db.raw(`UPDATE outbox_notifications SET status = 'sent' WHERE booking_id = :slotId`, { slotId });
    await expect(botV2Enqueue('candidate_rejection', slotId, 111)).rejects.toMatchObject({ code: '23505' });
  });

  it('enqueuing while the first row is pending refreshes that row', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    const first = await enqueueOutbox(t.db, { type: 'slot_reminder', bookingId: slotId, candidateTgId: 222, payload: { v: 1 }, correlationId: 'c1' });
    expect(first).toMatchObject({ created: true, refreshed: false, path: 'unique-key', row: { status: 'pending', attempts: 0 } });
    // The worker tried and failed once, scheduled a retry and holds a lock.
    await t.db.raw(`UPDATE outbox_notifications SET attempts = 3, locked_at = now(), next_retry_at = now() + interval '1 hour' WHERE id = :id`, { id: first.row.id });
    const again = await enqueueOutbox(t.db, { type: 'slot_reminder', bookingId: slotId, candidateTgId: 222, recruiterTgId: 5, payload: { v: 2 } });
    expect(again).toMatchObject({ created: false, refreshed: true });
    expect(again.row).toMatchObject({ id: first.row.id, status: 'pending', attempts: 0, locked_at: null, next_retry_at: null, recruiter_tg_id: 5, correlation_id: 'c1', payload_json: { v: 2 } });
    expect(await rowsOf('slot_reminder', slotId, 222)).toHaveLength(1);
  });

  it.each(['sent', 'failed'])('enqueuing while the first row is %s returns it exactly as it is', async (status) => {
    const slotId = await addSlot(t.db, recruiter.id);
    const first = await enqueueOutbox(t.db, { type: 'interview_confirmed', bookingId: slotId, candidateTgId: 333, payload: { v: 1 } });
    await t.db.raw(`UPDATE outbox_notifications SET status = :status, attempts = 2, last_error = 'x' WHERE id = :id`, { status, id: first.row.id });
    const before = await one(t.db, 'SELECT to_jsonb(o) AS r FROM outbox_notifications o WHERE id = :id', { id: first.row.id });
    const again = await enqueueOutbox(t.db, { type: 'interview_confirmed', bookingId: slotId, candidateTgId: 333, payload: { v: 2 }, recruiterTgId: 9 });
    expect(again).toMatchObject({ created: false, refreshed: false, row: { id: first.row.id, status, attempts: 2, payload_json: { v: 1 } } });
    const after = await one(t.db, 'SELECT to_jsonb(o) AS r FROM outbox_notifications o WHERE id = :id', { id: first.row.id });
    expect(after).toEqual(before);
    expect(await rowsOf('interview_confirmed', slotId, 333)).toHaveLength(1);
  });

  it('different types are different messages', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    const a = await enqueueOutbox(t.db, { type: 'slot_reminder', bookingId: slotId, candidateTgId: 444 });
    const b = await enqueueOutbox(t.db, { type: 'interview_confirmed', bookingId: slotId, candidateTgId: 444 });
    expect(a.row.id).not.toBe(b.row.id);
  });

  it('a NULL candidate (or booking) is one key too, whatever the status', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    const first = await enqueueOutbox(t.db, { type: 'recruiter_digest', bookingId: slotId, candidateTgId: null, payload: { v: 1 } });
    expect(first).toMatchObject({ created: true, path: 'null-key-lock' });
    const again = await enqueueOutbox(t.db, { type: 'recruiter_digest', bookingId: slotId, candidateTgId: null, payload: { v: 2 } });
    expect(again).toMatchObject({ created: false, refreshed: true, row: { id: first.row.id, payload_json: { v: 2 } } });
    await t.db.raw(`UPDATE outbox_notifications SET status = 'sent' WHERE id = :id`, { id: first.row.id });
    const sent = await enqueueOutbox(t.db, { type: 'recruiter_digest', bookingId: slotId, candidateTgId: null, payload: { v: 3 } });
    expect(sent).toMatchObject({ created: false, refreshed: false, row: { id: first.row.id, status: 'sent', payload_json: { v: 2 } } });
    expect(await rowsOf('recruiter_digest', slotId, null)).toHaveLength(1);

    const noBooking = await enqueueOutbox(t.db, { type: 'broadcast', bookingId: null, candidateTgId: 555 });
    const noBookingAgain = await enqueueOutbox(t.db, { type: 'broadcast', bookingId: null, candidateTgId: 555 });
    expect(noBookingAgain.row.id).toBe(noBooking.row.id);
    expect(await rowsOf('broadcast', null, 555)).toHaveLength(1);
  });

  it(schema === 'legacy' ? 'red: the bot enqueues a message without a candidate twice' : 'fixed (0008): the database refuses a second message without a candidate', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    const botInsert = () => t.db.raw(`INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id) VALUES ('slot_rejected', :slotId, NULL)`, { slotId });
    await botInsert();
    if (schema === 'legacy') {
      await botInsert();
      expect(await rowsOf('slot_rejected', slotId, null)).toHaveLength(2);
    } else {
      await expect(botInsert()).rejects.toMatchObject({ code: '23505' });
      expect(await rowsOf('slot_rejected', slotId, null)).toHaveLength(1);
    }
  });

  if (schema === 'fixed') {
    it('our enqueue of a key the bot is inserting at the same moment returns the bot\'s row, without an error', async () => {
      const slotId = await addSlot(t.db, recruiter.id);
      const bot = await t.db.transaction();
      const [botRow] = (await bot.raw(`INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id) VALUES ('recruiter_digest', :slotId, NULL) RETURNING id`, { slotId })).rows;
      const ours = enqueueOutbox(t.db, { type: 'recruiter_digest', bookingId: slotId, candidateTgId: null, payload: { v: 1 } });
      await new Promise((r) => setTimeout(r, 300)); // ours now waits on the bot's uncommitted row
      await bot.commit();
      expect(await ours).toMatchObject({ created: false, row: { id: botRow.id } });
      expect(await rowsOf('recruiter_digest', slotId, null)).toHaveLength(1);
    });
  }

  it('a NULL key inside a REPEATABLE READ transaction is refused (its snapshot would miss a concurrent row)', async () => {
    const err = await t.db
      .transaction((trx) => enqueueOutbox(trx, { type: 'x', bookingId: null, candidateTgId: null }), { isolationLevel: 'repeatable read' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
  });

  it('rejecting a booking twice does not fail and leaves one rejection message', async () => {
    const slotId = await addSlot(t.db, recruiter.id);
    await t.db.transaction((trx) => reserveSlot(trx, { slotId, candidateTgId: 666 }));
    const first = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject' }));
    expect(first).toMatchObject({ freed: true, candidateTgId: 666, outbox: { created: true } });
    await t.db.raw(`UPDATE outbox_notifications SET status = 'sent' WHERE id = :id`, { id: first.outbox!.row.id });

    // The recruiter clicks "reject" again (the callback names the candidate): no error, no duplicate.
    const second = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject', candidateTgId: 666 }));
    expect(second).toMatchObject({ freed: false, candidateTgId: 666, outbox: { created: false, refreshed: false, row: { id: first.outbox!.row.id, status: 'sent' } } });
    // Without naming anyone, a second reject of a free slot is a no-op.
    const third = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject' }));
    expect(third).toMatchObject({ freed: false, candidateTgId: null, outbox: null });

    expect(await rowsOf(OUTBOX_TYPES.rejected, slotId, 666)).toMatchObject([{ status: 'sent' }]);
    expect(await one(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId })).toEqual({ status: 'free', candidate_tg_id: null });
  });

  it('refuses bad keys', async () => {
    await expect(enqueueOutbox(t.db, { type: '', bookingId: 1, candidateTgId: 1 })).rejects.toBeInstanceOf(UsageError);
    await expect(enqueueOutbox(t.db, { type: 'x', bookingId: 1.5, candidateTgId: 1 })).rejects.toBeInstanceOf(UsageError);
    await expect(enqueueOutbox(t.db, { type: 'x', bookingId: 1, candidateTgId: '1' as unknown as number })).rejects.toBeInstanceOf(UsageError);
  });
});
