/**
 * The seed incidents fixed by support with the built binary, on the LEGACY schema: each first
 * shows the defect as production had it, then the command that fixes it, then the state after.
 *   000: rebook after a cancel (UNIQUE (time_slot_id) counts the cancelled interview);
 *   002: re-notify the NEW candidate after a reschedule (the previous candidate's log silenced them);
 *   003: delete a WhatsApp number with all its dependants (foreign keys without ON DELETE CASCADE).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { legacySchema } from '../fixtures/schema.js';
import { addInterview, addLog, addTimeSlot, archived, cli, cliJson, count, NUMBER_ROWS, plantNumber, tables, WHATSAPP_TABLES } from '../fixtures/support.js';

describe('seed incidents fixed by support on the legacy schema', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_seeds');
    await legacySchema(t);
  });
  afterAll(async () => t?.drop());

  it('seed 000: a user cancels and books the same slot again: `interviews rebook` does it', async () => {
    const slot = await addTimeSlot(t.db);
    const cancelled = await addInterview(t.db, slot, 5_500_000_001, 'cancelled');
    // The bot's second booking: duplicate key value violates unique constraint "interviews_time_slot_id_key".
    await expect(t.db.raw(`INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (:slot, 5500000001, 'confirmed')`, { slot })).rejects.toMatchObject({
      code: '23505',
      constraint: 'interviews_time_slot_id_key',
    });

    const r = await cliJson(t, '--yes', 'interviews', 'rebook', '--slot', String(slot), '--user', '5500000001');
    expect(r.result).toMatchObject({ legacyPath: true, archivedCancelledIds: [cancelled], interview: { time_slot_id: slot, bot_user_id: 5_500_000_001, status: 'confirmed' } });
    expect(await archived(t.db, r.archiveOperation)).toEqual({ 'interviews:deleted': 1, 'interviews:inserted': 1 });
    expect(await t.db('interviews').where({ time_slot_id: slot }).select('id', 'status')).toEqual([{ id: r.result.interview.id, status: 'confirmed' }]);
  });

  it('seed 002: after a reschedule the new candidate was never told: `slots reassign` re-notifies them', async () => {
    const A = 5_600_000_001;
    const B = 5_600_000_002;
    const recruiter = await addRecruiter(t.db);
    const slot = await addSlot(t.db, recruiter.id, { status: 'booked', candidateTgId: A });
    // A was approved: the bot logged it (candidate in the payload) and sent the message.
    await addLog(t.db, slot, A, 'slot_approved');
    await t.db.raw(`INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id, status) VALUES ('interview_confirmed', :slot, :A, 'sent')`, { slot, A });
    // "Перенести": the bot's reject_slot cleared the slot but not its log; B reserved it and the
    // recruiter approved, but the bot found the (type, booking_id) log and sent nothing.
    await t.db('slots').where({ id: slot }).update({ status: 'free', candidate_tg_id: null });
    await t.db('slots').where({ id: slot }).update({ status: 'booked', candidate_tg_id: B });
    await expect(
      t.db.raw(`INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slot, 'slot_approved', :payload)`, { slot, payload: JSON.stringify({ candidate_tg_id: B }) }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(await count(t.db, 'SELECT count(*) FROM outbox_notifications WHERE candidate_tg_id = :B', { B })).toBe(0);
    expect(JSON.parse((await cli(t, '--json', 'audit', 'notifications.stale-logs')).stdout).checks[0].count).toBe(1);

    const r = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(r.plan).toMatchObject({ renotifyOnly: true });
    // The new candidate's log and outbox message exist; the old candidate's log no longer blocks.
    const logs = await t.db('notification_logs').where({ booking_id: slot });
    expect(logs.map((l) => JSON.parse(l.payload).candidate_tg_id)).toEqual([B]);
    expect(await t.db('outbox_notifications').where({ booking_id: slot, candidate_tg_id: B }).select('type', 'status')).toEqual([
      { type: 'interview_confirmed', status: 'pending' },
    ]);
    expect(await archived(t.db, r.archiveOperation)).toEqual({
      'notification_logs:deleted': 1,
      'notification_logs:inserted': 1,
      'outbox_notifications:inserted': 1,
      'slot_reminder_jobs:inserted': await count(t.db, 'SELECT count(*) FROM slot_reminder_jobs WHERE slot_id = :slot', { slot }),
    });
    expect(JSON.parse((await cli(t, '--json', 'audit', 'notifications.stale-logs')).stdout).checks[0].count).toBe(0);
    // Running it again sends nothing twice.
    const again = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(again.result.approved).toMatchObject({ log: { created: false }, outbox: { created: false } });
  });

  it('seed 003: a number in use cannot be deleted: `whatsapp delete` takes everything under it, archived, and restore undoes it', async () => {
    const id = await plantNumber(t.db, '+7 901 000-00-03');
    await expect(t.db.raw('DELETE FROM whatsapp_numbers WHERE id = :id', { id })).rejects.toMatchObject({ code: '23503' });
    const before = await tables(t.db, WHATSAPP_TABLES);

    const preview = await cli(t, 'whatsapp', 'preview-delete', '+79010000003');
    expect(preview.stdout).toContain('would remove 22 row(s): the number, 2 bot(s), 3 conversation(s) (6 message(s)), 2 broadcast(s) (8 recipient(s))');
    const r = await cliJson(t, '--yes', 'whatsapp', 'delete', '+79010000003');
    expect(r.result).toMatchObject({ deleted: NUMBER_ROWS, total: 22 });
    expect(await count(t.db, 'SELECT count(*) FROM whatsapp_numbers WHERE id = :id', { id })).toBe(0);
    expect(Object.values(await archived(t.db, r.archiveOperation)).reduce((a, b) => a + b, 0)).toBe(22);

    const restored = await cli(t, '--yes', 'archive', 'restore', String(r.archiveOperation));
    expect(restored.code, restored.stderr).toBe(0);
    expect(await tables(t.db, WHATSAPP_TABLES)).toEqual(before);
  });
});
