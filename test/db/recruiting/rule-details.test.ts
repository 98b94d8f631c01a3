/**
 * Rule details that are not a seed scenario: reassigning a slot through the ordinary rules, and
 * the catalog detection of the notification-log key under other names. (The translation of
 * SQLSTATEs into the typed errors, a rule's own meaning first, is in test/unit/pg-errors.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReassignSlot, approveSlot, logsKeyedByCandidate, OUTBOX_TYPES, planReassignSlot, reassignSlot, rejectSlot, reserveSlot } from '../../../src/domain/recruiting/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, one, SCHEMAS, withOp } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

describe.each(SCHEMAS)('recruiting rule details on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase(`domain_${schema}`);
    await apply(t);
  });
  afterAll(async () => t?.drop());

  it('reassigns a slot: the old candidate is told of the reschedule, the new one is approved', async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    await t.db.transaction((trx) => reserveSlot(trx, { slotId, candidateTgId: 81 }));
    const r = await withOp(t.db, (trx, op) => reassignSlot(trx, op, { slotId, candidateTgId: 82, candidateName: 'B' }));
    expect(r.released).toMatchObject({ freed: true, candidateTgId: 81, outbox: { row: { type: OUTBOX_TYPES.rescheduled } } });
    expect(r.reserved).toMatchObject({ reserved: true, slot: { candidate_fio: 'B' } });
    expect(r.approved).toMatchObject({ candidateTgId: 82, outbox: { created: true } });
    expect(await one(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId })).toEqual({ status: 'booked', candidate_tg_id: 82 });
    expect(
      await all(t.db, 'SELECT type, candidate_tg_id FROM outbox_notifications WHERE booking_id = :slotId ORDER BY id', { slotId }),
    ).toEqual([
      { type: OUTBOX_TYPES.rescheduled, candidate_tg_id: 81 },
      { type: OUTBOX_TYPES.approved, candidate_tg_id: 82 },
    ]);
    // To the same candidate again: nothing released, nothing sent twice.
    const again = await withOp(t.db, (trx, op) => reassignSlot(trx, op, { slotId, candidateTgId: 82 }));
    expect(again).toMatchObject({ released: null, reserved: { reserved: false }, approved: { outbox: { created: false } } });
  });

  it('reassigned again while the approval is still pending: the queued message is left as it is, nothing is archived', async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id);
    await withOp(t.db, (trx, op) => reassignSlot(trx, op, { slotId, candidateTgId: 83 }));
    // The bot tried twice already and waits to retry: a re-run must not reset that.
    await t.db.raw(
      "UPDATE outbox_notifications SET attempts = 2, next_retry_at = now() + interval '1 hour' WHERE booking_id = :slotId AND type = :type",
      { slotId, type: OUTBOX_TYPES.approved },
    );
    const queued = await one(t.db, 'SELECT id, status, attempts, next_retry_at, payload_json FROM outbox_notifications WHERE booking_id = :slotId AND type = :type', { slotId, type: OUTBOX_TYPES.approved });

    const plan = await planReassignSlot(t.db, { slotId, candidateTgId: 83 }, { sample: 20 });
    expect(plan).toMatchObject({ renotifyOnly: true, books: false, approve: { enqueues: false, message: { outcome: 'exists', existing: { status: 'pending' } } } });
    expect(plan.summary).toMatch(/their approval \(interview_confirmed\) is still queued \(pending\) and is not enqueued again/);
    expect(plan.archives).toEqual({});
    expect(plan.statements.map((s) => s.sql).join('\n')).not.toMatch(/INSERT INTO outbox_notifications/);

    const { result, archived } = await withOp(t.db, async (trx, op) => {
      const result = await applyReassignSlot(trx, op, plan);
      return { result, archived: (await trx.raw('SELECT count(*)::int AS n FROM bookops_archive_rows WHERE operation_id = ?', [op.id])).rows[0].n };
    });
    expect(result.approved.outbox).toMatchObject({ created: false, refreshed: false, row: { id: queued.id, status: 'pending', attempts: 2 } });
    expect(archived).toBe(0);
    expect(await one(t.db, 'SELECT id, status, attempts, next_retry_at, payload_json FROM outbox_notifications WHERE booking_id = :slotId AND type = :type', { slotId, type: OUTBOX_TYPES.approved })).toEqual(queued);

    // The bot's own approval is unchanged: approving again still refreshes a pending message for its retry.
    const approved = await withOp(t.db, (trx, op) => approveSlot(trx, op, { slotId }));
    expect(approved.outbox).toMatchObject({ refreshed: true, row: { attempts: 0 } });
  });

  it('a reassignment the new candidate may not take changes nothing', async () => {
    const recruiter = await addRecruiter(t.db);
    const held = await addSlot(t.db, recruiter.id, { status: 'confirmed_by_candidate', candidateTgId: 92 });
    const slotId = await addSlot(t.db, recruiter.id, { status: 'booked', candidateTgId: 91 });
    await expect(withOp(t.db, (trx, op) => reassignSlot(trx, op, { slotId, candidateTgId: 92 }))).rejects.toMatchObject({
      details: { reason: 'holds_another', otherSlotId: held },
    });
    expect(await one(t.db, 'SELECT status, candidate_tg_id FROM slots WHERE id = :slotId', { slotId })).toEqual({ status: 'booked', candidate_tg_id: 91 });
  });

  it('detects the notification-log key by its column and approves whatever the unique keys are called', async () => {
    const keyed = await logsKeyedByCandidate(t.db);
    expect(keyed).toBe(schema === 'fixed');
    const indexes = await all<{ name: string }>(
      t.db,
      `SELECT c.relname AS name FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
       WHERE i.indrelid = 'notification_logs'::regclass AND i.indisunique AND NOT i.indisprimary`,
    );
    expect(indexes.length).toBeGreaterThan(0);
    // ALTER INDEX also renames the constraint an index backs.
    for (const [n, { name }] of indexes.entries()) await t.db.raw(`ALTER INDEX "${name}" RENAME TO site_specific_key_${n}`);
    expect(await logsKeyedByCandidate(t.db)).toBe(keyed);

    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id, { status: 'booked', candidateTgId: 95 });
    await t.db.raw(`INSERT INTO notification_logs (booking_id, type, payload) VALUES (:slotId, 'slot_approved', '{"candidate_tg_id": 94}')`, { slotId });
    const r = await withOp(t.db, (trx, op) => approveSlot(trx, op, { slotId }));
    expect(r).toMatchObject({ archivedLogs: [{ type: 'slot_approved' }], log: { created: true } });
    expect((await withOp(t.db, (trx, op) => approveSlot(trx, op, { slotId }))).log.created).toBe(false);
  });

  it('releasing a canceled slot clears its candidate but does not reopen it', async () => {
    const recruiter = await addRecruiter(t.db);
    const slotId = await addSlot(t.db, recruiter.id, { status: 'canceled', candidateTgId: 97 });
    const r = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject' }));
    expect(r).toMatchObject({ freed: true, candidateTgId: 97, slot: { status: 'canceled', candidate_tg_id: null } });
    const again = await withOp(t.db, (trx, op) => rejectSlot(trx, op, { slotId, reason: 'reject' }));
    expect(again).toMatchObject({ freed: false, outbox: null, slot: { status: 'canceled' } });
  });
});
