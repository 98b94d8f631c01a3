/**
 * Seed 002. P0: a notification log of the previous candidate silences the next one (approve
 * sends nothing, their confirmation answers "already confirmed"). P1: a candidate whose slot is
 * confirmed_by_candidate can reserve a second slot of the same recruiter. Red on the legacy
 * schema with the bot's code paths; the rules fix both on either schema.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreOperation } from '../../../src/archive/restore.js';
import { ConflictError, NotFoundError, UsageError } from '../../../src/errors.js';
import {
  approveSlot,
  confirmByCandidate,
  LOG_TYPES,
  logsKeyedByCandidate,
  OUTBOX_TYPES,
  rejectSlot,
  REMINDERS,
  reserveSlot,
} from '../../../src/domain/recruiting/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, archivedCounts, one, SCHEMAS, snapshot, withOp } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

const A = 71_001;
const B = 71_002;

describe.each(SCHEMAS)('seed 002 on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const legacy = schema === 'legacy';
  beforeAll(async () => {
    t = await createTestDatabase(`seed002_${schema}`);
    await apply(t);
  });
  afterAll(async () => t?.drop());

  const reserve = (slotId: number, candidateTgId: number) => t.db.transaction((trx) => reserveSlot(trx, { slotId, candidateTgId }));
  const approve = (slotId: number) => withOp(t.db, (trx, op) => approveSlot(trx, op, { slotId }));
  const reject = (slotId: number, reason: 'reject' | 'reschedule' = 'reschedule') =>
    withOp(t.db, async (trx, op) => ({ op, r: await rejectSlot(trx, op, { slotId, reason }) }));
  const confirm = (slotId: number, candidateTgId: number) => withOp(t.db, (trx, op) => confirmByCandidate(trx, op, { slotId, candidateTgId }));
  const slot = (slotId: number) => one<{ status: string; candidate_tg_id: number | null }>(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId });
  const outboxFor = (slotId: number, candidate: number) =>
    all<{ type: string; status: string }>(t.db, 'SELECT type, status FROM outbox_notifications WHERE booking_id = :slotId AND candidate_tg_id = :candidate ORDER BY id', {
      slotId,
      candidate,
    });
  const logs = (slotId: number) =>
    all<{ type: string; candidate: number | null }>(
      t.db,
      `SELECT type, substring(payload FROM '"candidate_tg_id"\\s*:\\s*(\\d+)')::bigint AS candidate FROM notification_logs WHERE booking_id = :slotId ORDER BY id`,
      { slotId },
    );
  const jobs = (slotId: number) => all<{ kind: string; job_id: string }>(t.db, 'SELECT kind, job_id FROM slot_reminder_jobs WHERE slot_id = :slotId ORDER BY scheduled_at', { slotId });

  it('reads the notification log key from the catalog', async () => {
    expect(await logsKeyedByCandidate(t.db)).toBe(!legacy);
  });

  describe('P0: reapprove after a reschedule reaches the new candidate', () => {
    /** The bot's handle_approve_slot: skip everything when a log of (type, booking[, candidate]) exists. */
    const botApprove = async (slotId: number, candidate: number): Promise<'sent' | 'silenced'> => {
      const keyed = await logsKeyedByCandidate(t.db);
      const exists = await t.db.raw(
        keyed
          ? `SELECT 1 FROM notification_logs WHERE type = :type AND booking_id = :slotId AND candidate_tg_id = :candidate`
          : `SELECT 1 FROM notification_logs WHERE type = :type AND booking_id = :slotId`,
        { type: LOG_TYPES.approved, slotId, candidate },
      );
      if (exists.rows.length) return 'silenced';
      await t.db.raw(
        keyed
          ? `INSERT INTO notification_logs (booking_id, type, candidate_tg_id, payload) VALUES (:slotId, :type, :candidate, json_build_object('candidate_tg_id', :candidate::bigint)::text)`
          : `INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slotId, :type, json_build_object('candidate_tg_id', :candidate::bigint)::text)`,
        { type: LOG_TYPES.approved, slotId, candidate },
      );
      return 'sent';
    };
    /** The bot's reject_slot: resets the slot, leaves its logs. */
    const botReschedule = (slotId: number) =>
      t.db.raw(`UPDATE slots SET status = 'free', candidate_tg_id = NULL WHERE id = :slotId`, { slotId });

    it(legacy ? 'red: the bot\'s code silences candidate B with A\'s log' : 'fixed: the bot\'s code keyed by candidate reaches B', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await t.db.raw(`UPDATE slots SET status = 'pending', candidate_tg_id = :A WHERE id = :slotId`, { A, slotId });
      expect(await botApprove(slotId, A)).toBe('sent');
      await botReschedule(slotId);
      await t.db.raw(`UPDATE slots SET status = 'pending', candidate_tg_id = :B WHERE id = :slotId`, { B, slotId });
      expect(await botApprove(slotId, B)).toBe(legacy ? 'silenced' : 'sent');
    });

    it('the rules: A approved, rescheduled, B reserves, approve reaches B, B confirms', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      expect((await reserve(slotId, A)).reserved).toBe(true);
      const forA = await approve(slotId);
      expect(forA).toMatchObject({ candidateTgId: A, statusChanged: true, log: { created: true }, outbox: { created: true }, reminders: { created: REMINDERS.length } });
      expect(await slot(slotId)).toEqual({ status: 'booked', candidate_tg_id: A });

      const rescheduled = await reject(slotId, 'reschedule');
      expect(rescheduled.r).toMatchObject({ freed: true, candidateTgId: A, outbox: { created: true, row: { type: OUTBOX_TYPES.rescheduled } } });
      expect(rescheduled.r.archivedLogs).toHaveLength(1);
      expect(rescheduled.r.archivedReminders).toHaveLength(REMINDERS.length);
      // A's approval was still pending: superseded, so it cannot reach A after the reschedule.
      expect(rescheduled.r.supersededMessages.map((m) => [m.type, m.undelivered])).toEqual([[OUTBOX_TYPES.approved, true]]);
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.rescheduled, status: 'pending' }]);
      expect(await logs(slotId)).toEqual([]);
      expect(await jobs(slotId)).toEqual([]);

      await reserve(slotId, B);
      const forB = await approve(slotId);
      expect(forB).toMatchObject({ candidateTgId: B, statusChanged: true, log: { created: true }, outbox: { created: true, row: { type: OUTBOX_TYPES.approved, candidate_tg_id: B } } });
      expect(await logs(slotId)).toEqual([{ type: LOG_TYPES.approved, candidate: B }]);
      expect((await jobs(slotId)).map((j) => j.kind)).toEqual(REMINDERS.map((r) => r.kind));
      expect((await jobs(slotId)).every((j) => j.job_id.includes(`cand-${B}`))).toBe(true);

      const confirmed = await confirm(slotId, B);
      expect(confirmed).toMatchObject({ alreadyConfirmed: false, log: { created: true }, outbox: { created: true } });
      expect(await slot(slotId)).toEqual({ status: 'confirmed_by_candidate', candidate_tg_id: B });
      expect(await outboxFor(slotId, B)).toEqual([
        { type: OUTBOX_TYPES.approved, status: 'pending' },
        { type: OUTBOX_TYPES.candidateConfirmed, status: 'pending' },
      ]);
      // Approving and confirming again sends nothing twice.
      expect(await approve(slotId)).toMatchObject({ statusChanged: false, log: { created: false }, outbox: { created: false }, reminders: { created: 0, archived: [] } });
      expect(await confirm(slotId, B)).toMatchObject({ alreadyConfirmed: true, log: { created: false }, outbox: { created: false } });
      expect(await outboxFor(slotId, B)).toHaveLength(2);
      expect(await logs(slotId)).toHaveLength(2);
    });

    it('stale logs the bot left for A are archived away, not allowed to silence B or confirm for B', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id, { status: 'booked', candidateTgId: B });
      // What the bot's reschedule left behind: A's approval and confirmation logs.
      for (const type of [LOG_TYPES.approved, LOG_TYPES.candidateConfirmed]) {
        await t.db.raw(
          legacy
            ? `INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slotId, :type, '{"candidate_tg_id": ${A}}')`
            : `INSERT INTO notification_logs (booking_id, type, candidate_tg_id, payload) VALUES (:slotId, :type, ${A}, '{"candidate_tg_id": ${A}}')`,
          { slotId, type },
        );
      }
      // A log without any candidate cannot be proven to be B's: stale too.
      await t.db.raw(`INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slotId, 'legacy_note', 'not json')`, { slotId });

      const approved = await approve(slotId);
      expect(approved.archivedLogs.map((l) => l.type).sort()).toEqual([LOG_TYPES.approved, LOG_TYPES.candidateConfirmed, 'legacy_note'].sort());
      expect(approved).toMatchObject({ log: { created: true }, outbox: { created: true, row: { candidate_tg_id: B } } });
      const confirmed = await confirm(slotId, B);
      expect(confirmed.alreadyConfirmed).toBe(false);
      expect(await logs(slotId)).toEqual([
        { type: LOG_TYPES.approved, candidate: B },
        { type: LOG_TYPES.candidateConfirmed, candidate: B },
      ]);
    });

    it('only the slot\'s current candidate confirms, and only after approval', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await expect(confirm(slotId, A)).rejects.toMatchObject({ details: { reason: 'not_approved' } });
      await approve(slotId);
      const err = await confirm(slotId, B).catch((e) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.details).toMatchObject({ reason: 'not_holder' });
      await expect(confirm(999_999, A)).rejects.toBeInstanceOf(NotFoundError);
      expect(await slot(slotId)).toEqual({ status: 'booked', candidate_tg_id: A });
    });

    it('approving a free slot is a conflict; bad input is a usage error', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await expect(approve(slotId)).rejects.toBeInstanceOf(ConflictError);
      await expect(approve(-1)).rejects.toBeInstanceOf(UsageError);
      await expect(withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'nope' as 'reject' }))).rejects.toBeInstanceOf(UsageError);
    });

    it('archive restore undoes a reject: slot, logs and reminder jobs come back row for row', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await approve(slotId);
      const tables = ['slots', 'notification_logs', 'slot_reminder_jobs', 'outbox_notifications'];
      const before = await Promise.all(tables.map((x) => snapshot(t.db, x)));
      const { op, r } = await reject(slotId, 'reject');
      // What went is archived; the rejection message it enqueued is recorded, so restore removes it.
      expect(await archivedCounts(t.db, op.id)).toEqual({
        'slots:updated': 1,
        'notification_logs:deleted': r.archivedLogs.length,
        'slot_reminder_jobs:deleted': r.archivedReminders.length,
        'outbox_notifications:deleted': 1,
        'outbox_notifications:inserted': 1,
      });
      expect(r.supersededMessages).toHaveLength(1);
      await t.db.transaction((trx) => restoreOperation(trx, op.id));
      expect(await Promise.all(tables.map((x) => snapshot(t.db, x)))).toEqual(before);
    });
  });

  describe('a decision supersedes the messages of the opposite one (archived)', () => {
    const setStatus = (slotId: number, type: string, status: string) =>
      t.db.raw('UPDATE outbox_notifications SET status = :status WHERE booking_id = :slotId AND type = :type', { slotId, type, status });

    it('a release takes back the unsent approval; a new approval takes back the unsent rejection', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await approve(slotId);
      // The approval waits for a retry; the recruiter rejects meanwhile.
      await t.db.raw(`UPDATE outbox_notifications SET next_retry_at = now() + interval '10 minutes' WHERE booking_id = :slotId`, { slotId });
      const rejected = await reject(slotId, 'reject');
      expect(rejected.r.supersededMessages).toMatchObject([{ type: OUTBOX_TYPES.approved, candidate_tg_id: A, undelivered: true }]);
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.rejected, status: 'pending' }]);

      // A takes the slot again before the rejection went out: only the approval reaches A.
      await reserve(slotId, A);
      const again = await approve(slotId);
      expect(again.supersededMessages).toMatchObject([{ type: OUTBOX_TYPES.rejected, candidate_tg_id: A, undelivered: true }]);
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.approved, status: 'pending' }]);
    });

    it('sent ones go to the archive, so the same candidate approved again is told again; other slots are left alone', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      const other = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await approve(slotId);
      await confirm(slotId, A);
      await setStatus(slotId, OUTBOX_TYPES.approved, 'sent');
      await setStatus(slotId, OUTBOX_TYPES.candidateConfirmed, 'FAILED');
      await reserve(other, B);
      await approve(other);
      const released = await reject(slotId, 'reschedule');
      expect(released.r.supersededMessages.map((m) => [m.type, m.status, m.undelivered])).toEqual([
        [OUTBOX_TYPES.approved, 'sent', false],
        [OUTBOX_TYPES.candidateConfirmed, 'FAILED', false],
      ]);
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.rescheduled, status: 'pending' }]);
      expect(await outboxFor(other, B)).toEqual([{ type: OUTBOX_TYPES.approved, status: 'pending' }]);
      expect((await archivedCounts(t.db, released.op.id))['outbox_notifications:deleted']).toBe(2);

      // The rescheduling message went out; A takes the same slot again and is approved: A hears of it.
      await setStatus(slotId, OUTBOX_TYPES.rescheduled, 'sent');
      await reserve(slotId, A);
      const again = await approve(slotId);
      expect(again.outbox).toMatchObject({ created: true, row: { type: OUTBOX_TYPES.approved, status: 'pending' } });
      expect(again.supersededMessages.map((m) => [m.type, m.undelivered])).toEqual([[OUTBOX_TYPES.rescheduled, false]]);
      // Rejecting twice still tells A once (seed 001).
      expect((await reject(slotId, 'reject')).r.outbox).toMatchObject({ created: true });
      await setStatus(slotId, OUTBOX_TYPES.rejected, 'sent');
      const twice = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject', candidateTgId: A }));
      expect(twice).toMatchObject({ freed: false, supersededMessages: [], outbox: { created: false, row: { status: 'sent' } } });
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.rejected, status: 'sent' }]);

      // A new hold and a new release is a new decision: A is told again.
      await reserve(slotId, A);
      const second = await reject(slotId, 'reject');
      expect(second.r).toMatchObject({ freed: true, outbox: { created: true, row: { type: OUTBOX_TYPES.rejected, status: 'pending' } } });
      expect(second.r.supersededMessages.map((m) => [m.type, m.status])).toEqual([[OUTBOX_TYPES.rejected, 'sent']]);
      expect(await outboxFor(slotId, A)).toEqual([{ type: OUTBOX_TYPES.rejected, status: 'pending' }]);
    });

    it('a message a worker is sending right now is superseded too, and reported as in flight, not as never sent', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await approve(slotId);
      await t.db.raw(`UPDATE outbox_notifications SET locked_at = now(), attempts = 1 WHERE booking_id = :slotId`, { slotId });
      const released = await reject(slotId, 'reschedule');
      expect(released.r.supersededMessages).toMatchObject([{ type: OUTBOX_TYPES.approved, status: 'pending', undelivered: false, inFlight: true }]);
    });

    it('an approval that books the slot is a new decision: an approval sent earlier does not stand in for it', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      // History from before: A was approved for this slot (sent), and the bot freed it without a message.
      await t.db.raw(`INSERT INTO outbox_notifications (booking_id, type, candidate_tg_id, status) VALUES (:slotId, :type, :A, 'sent')`, {
        slotId,
        type: OUTBOX_TYPES.approved,
        A,
      });
      await reserve(slotId, A);
      const approved = await approve(slotId);
      expect(approved).toMatchObject({ statusChanged: true, outbox: { created: true, row: { status: 'pending' } } });
      expect(approved.supersededMessages.map((m) => [m.type, m.status])).toEqual([[OUTBOX_TYPES.approved, 'sent']]);
      // Approving again sends nothing twice.
      expect(await approve(slotId)).toMatchObject({ statusChanged: false, supersededMessages: [], outbox: { created: false } });
    });
  });

  describe('P1: a confirmed candidate cannot take a second slot of the same recruiter', () => {
    /** The bot's reserve_slot: active = pending, booked only; relies on the legacy index. */
    const botReserve = (slotId: number, candidate: number) =>
      t.db.transaction(async (trx) => {
        const { rows } = await trx.raw(
          `SELECT 1 FROM slots s JOIN slots o ON o.recruiter_id = s.recruiter_id
           WHERE s.id = :slotId AND o.candidate_tg_id = :candidate AND lower(o.status) IN ('pending', 'booked')`,
          { slotId, candidate },
        );
        if (rows.length) return 'refused';
        await trx.raw(`UPDATE slots SET status = 'pending', candidate_tg_id = :candidate WHERE id = :slotId AND lower(status) = 'free'`, { slotId, candidate });
        return 'reserved';
      });

    it(legacy ? 'red: the bot reserves a second slot for a confirmed candidate' : 'fixed: the index stops the bot\'s second reservation', async () => {
      const recruiter = await addRecruiter(t.db);
      await addSlot(t.db, recruiter.id, { status: 'confirmed_by_candidate', candidateTgId: A });
      const second = await addSlot(t.db, recruiter.id);
      if (legacy) expect(await botReserve(second, A)).toBe('reserved');
      else await expect(botReserve(second, A)).rejects.toMatchObject({ code: '23505' });
    });

    it('the rule refuses it, in any letter case, and leaves the slot free', async () => {
      const recruiter = await addRecruiter(t.db);
      const first = await addSlot(t.db, recruiter.id);
      await reserve(first, B);
      await approve(first);
      await confirm(first, B);
      await t.db.raw(`UPDATE slots SET status = 'CONFIRMED_BY_CANDIDATE' WHERE id = :first`, { first });
      const second = await addSlot(t.db, recruiter.id, { status: 'FREE' });
      const err = await reserve(second, B).catch((e) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect(err.details).toMatchObject({ reason: 'holds_another', otherSlotId: first });
      expect(await slot(second)).toEqual({ status: 'FREE', candidate_tg_id: null });
      // Another recruiter's slot is fine; so is the same slot again (a repeated click).
      const other = await addSlot(t.db, (await addRecruiter(t.db)).id, { status: 'Free' });
      expect((await reserve(other, B)).reserved).toBe(true);
      expect((await reserve(other, B)).reserved).toBe(false);
    });

    it('a taken slot is a clean conflict; an unknown one is not found', async () => {
      const recruiter = await addRecruiter(t.db);
      const slotId = await addSlot(t.db, recruiter.id);
      await reserve(slotId, A);
      await expect(reserve(slotId, B)).rejects.toMatchObject({ details: { reason: 'taken' } });
      await expect(reserve(999_999, B)).rejects.toBeInstanceOf(NotFoundError);
    });
  });
});
