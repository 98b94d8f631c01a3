/**
 * The batch enqueue (outbox/enqueue-batch, used by slots resolve-duplicates) decides each key as
 * the single enqueue does (seed 001): a new key inserted, a pending row refreshed (archived
 * first), a sent or failed row left exactly as it is. Shown side by side: the same keys enqueued
 * one by one on a twin set of slots end in the same rows and the same outcomes. A second batch
 * inserts nothing; the restore of the batch's operation puts the outbox back as it was.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import restore from '../../../src/commands/archive/restore.js';
import { enqueueOutbox, enqueueOutboxBatch, type EnqueueInput } from '../../../src/domain/outbox/enqueue.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, archivedCounts, SCHEMAS, snapshot, withOp } from '../../fixtures/domain.js';
import { inProcess } from '../../fixtures/in-process.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

const CANDIDATE = 7_400_000_001;

describe.each(SCHEMAS)('batch enqueue on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase(`enqueue_batch_${schema}`);
    await apply(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  /** Four keys: none yet, a pending row a worker holds, a sent row, a failed row. */
  async function plant(): Promise<EnqueueInput[]> {
    const r = await addRecruiter(t.db);
    const slots = [await addSlot(t.db, r.id), await addSlot(t.db, r.id), await addSlot(t.db, r.id), await addSlot(t.db, r.id)];
    const old = { v: 0 };
    await t.db('outbox_notifications').insert([
      { booking_id: slots[1], type: 'candidate_rejection', candidate_tg_id: CANDIDATE, status: 'pending', attempts: 3, payload_json: old },
      { booking_id: slots[2], type: 'candidate_rejection', candidate_tg_id: CANDIDATE, status: 'sent', attempts: 1, payload_json: old },
      { booking_id: slots[3], type: 'candidate_rejection', candidate_tg_id: CANDIDATE, status: 'failed', attempts: 5, payload_json: old },
    ]);
    await t.db.raw(`UPDATE outbox_notifications SET locked_at = now(), next_retry_at = now() + interval '1 hour' WHERE booking_id = ANY(?)`, [slots.slice(1)]);
    return slots.map((bookingId) => ({ type: 'candidate_rejection', bookingId, candidateTgId: CANDIDATE, recruiterTgId: r.tgChatId, payload: { v: 1 } }));
  }

  /** The keys' rows as they are, without what differs between twins (ids, slots, times). */
  const state = async (inputs: EnqueueInput[]) =>
    (
      await all<Record<string, unknown>>(
        t.db,
        `SELECT booking_id, status, attempts, payload_json, locked_at IS NULL AS unlocked, next_retry_at IS NULL AS due_now
         FROM outbox_notifications WHERE booking_id = ANY(:ids) ORDER BY booking_id`,
        { ids: inputs.map((i) => i.bookingId) },
      )
    ).map(({ booking_id: _b, ...rest }) => rest);

  it('each key decided as the single enqueue decides it; a second batch inserts nothing; restore undoes it', async () => {
    const batch = await plant();
    const single = await plant();
    const planted = await state(batch);

    const { op, results } = await withOp(t.db, async (trx, op) => ({ op, results: await enqueueOutboxBatch(trx, batch, op) }));
    const one = await withOp(t.db, async (trx, op) => {
      const out = [];
      for (const input of single) out.push(await enqueueOutbox(trx, input, op));
      return out;
    });

    const outcome = (rs: typeof results) => rs.map((r) => [r.created, r.refreshed, r.row.status]);
    expect(outcome(results)).toEqual([
      [true, false, 'pending'],
      [false, true, 'pending'],
      [false, false, 'sent'],
      [false, false, 'failed'],
    ]);
    expect(outcome(results)).toEqual(outcome(one));
    expect(await state(batch)).toEqual(await state(single));
    expect((await state(batch)).map((r) => [r.status, r.attempts, r.payload_json])).toEqual([
      ['pending', 0, { v: 1 }],
      ['pending', 0, { v: 1 }],
      ['sent', 1, { v: 0 }],
      ['failed', 5, { v: 0 }],
    ]);
    // The refreshed pending row archived, the new row recorded for the undo.
    expect(await archivedCounts(t.db, op.id)).toEqual({ 'outbox_notifications:updated': 1, 'outbox_notifications:inserted': 1 });

    // Restored: the batch's keys are as they were (the new row gone, the pending one as the worker left it).
    await restore.run(ctx({ yes: true }), { operation: op.id } as never);
    expect(await state(batch)).toEqual(planted);

    // A second enqueue of keys already enqueued (here the single path's) inserts nothing.
    const rows = (await snapshot(t.db, 'outbox_notifications')).length;
    const again = await withOp(t.db, (trx, op2) => enqueueOutboxBatch(trx, single, op2));
    expect(again.map((r) => r.created)).toEqual([false, false, false, false]);
    expect(again.map((r) => r.row.id)).toEqual(one.map((r) => r.row.id));
    expect((await snapshot(t.db, 'outbox_notifications')).length).toBe(rows);
  });

  it('refuses a key with a NULL part or a key named twice, before any statement', async () => {
    const [a] = await plant();
    await expect(withOp(t.db, (trx, op) => enqueueOutboxBatch(trx, [{ ...a, candidateTgId: null }], op))).rejects.toThrow(/needs a booking and a candidate/);
    await expect(withOp(t.db, (trx, op) => enqueueOutboxBatch(trx, [a, { ...a }], op))).rejects.toThrow(/twice/);
  });
});
