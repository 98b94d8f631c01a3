/**
 * slots resolve-duplicates frees a batch of slots with one statement per change (the slots, their
 * logs and reminder jobs, the candidates' earlier messages) and then tells each candidate. Here
 * one batch holds three candidates, one of them with three active slots, and a slot that changed
 * hands since the plan: every other extra slot is freed with its children archived, each
 * released candidate gets one rejection, the changed slot is left alone, the audit is clean for
 * the rest, and the restore puts every table back. On the legacy schema: with every migration,
 * the unique index of 0003 makes a double booking impossible to plant.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Applier } from '../../../src/archive/applier.js';
import { beginOperation, type ArchiveOperation } from '../../../src/archive/operation.js';
import { applyResolveDuplicates, planResolveDuplicates, resolveDuplicatesRule } from '../../../src/domain/recruiting/resolve-duplicates.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { SCHEMAS, all } from '../../fixtures/domain.js';
import { inProcess } from '../../fixtures/in-process.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';
import { addJob, addLog, archived, RECRUITING_TABLES, tables } from '../../fixtures/support.js';
import restore from '../../../src/commands/archive/restore.js';

const E = 7_300_000_001;
const F = 7_300_000_002;
const G = 7_300_000_003;

describe('slots resolve-duplicates: one batch, set-based', () => {
  let t: TestDatabase | undefined;
  const { ctx, closeAll } = inProcess(() => t!.url, { quiet: true });
  const made: TestDatabase[] = [];
  afterEach(closeAll);
  afterAll(async () => Promise.all(made.map((d) => d.drop())));

  for (const [schema, apply] of SCHEMAS.filter(([name]) => name === 'legacy')) {
    it(`${schema}: frees every extra slot of the batch with its children archived, tells each candidate once, leaves a changed slot alone; restore`, async () => {
      t = await createTestDatabase(`resolve_batch_${schema}`);
      made.push(t);
      await apply(t);
      const keyed = schema === 'fixed';
      const r = await addRecruiter(t.db);
      const r2 = await addRecruiter(t.db);
      // E holds three slots of r: the earlier confirmed one is kept, the two others go.
      const e1 = await addSlot(t.db, r.id, { status: 'pending', candidateTgId: E });
      const e2 = await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: E });
      const e3 = await addSlot(t.db, r.id, { status: 'Confirmed_By_Candidate', candidateTgId: E });
      // F: two confirmed slots of r2, the earlier kept.
      const f1 = await addSlot(t.db, r2.id, { status: 'confirmed_by_candidate', candidateTgId: F });
      const f2 = await addSlot(t.db, r2.id, { status: 'CONFIRMED_BY_CANDIDATE', candidateTgId: F });
      // G: two slots of r; the extra one changes hands after the plan.
      const g1 = await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: G });
      const g2 = await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: G });
      for (const [slot, who] of [[e1, E], [e3, E], [f2, F], [e2, E]] as const) await addLog(t.db, slot, who, 'slot_approved', keyed);
      await addJob(t.db, e1, 'remind_1h');
      await addJob(t.db, e3, 'remind_1h');
      await addJob(t.db, e2, 'remind_1h');
      await t.db('outbox_notifications').insert([
        { booking_id: e1, type: 'interview_confirmed', candidate_tg_id: E, status: 'pending' },
        { booking_id: f2, type: 'candidate_confirmed', candidate_tg_id: F, status: 'sent' },
        { booking_id: e2, type: 'candidate_confirmed', candidate_tg_id: E, status: 'sent' },
      ]);

      // Planned as the command plans it, then carried out after G's extra slot changed hands: the
      // batch finds it under its lock no longer G's and leaves it alone.
      const plan = await planResolveDuplicates(t.db, {});
      expect(plan.groups.map((g) => [g.candidateTgId, g.keep, g.release])).toEqual([
        [E, e2, [e3, e1]],
        [G, g1, [g2]],
        [F, f1, [f2]],
      ]);
      await t.db('slots').where({ id: g2 }).update({ candidate_tg_id: 7_300_000_099 });
      const before = await tables(t.db, RECRUITING_TABLES);
      let op: ArchiveOperation | undefined;
      const applier: Applier = {
        transaction: (fn) =>
          t!.db.transaction(async (trx) => {
            op ??= await beginOperation(trx, { action: resolveDuplicatesRule.action, commandLine: 'bookops slots resolve-duplicates' });
            return fn(trx, op);
          }),
        progress: () => undefined,
      };
      const result = await applyResolveDuplicates(applier, plan);
      const done = { result, archiveOperation: op!.id };
      expect(done.result).toMatchObject({ batches: 1, skipped: [{ slotId: g2, why: `no longer held by candidate ${G}` }] });
      expect(done.result.released.map((x) => [x.slotId, x.archivedLogs, x.archivedReminders])).toEqual([
        [e3, 1, 1],
        [e1, 1, 1],
        [f2, 1, 0],
      ]);
      expect(await archived(t.db, done.archiveOperation)).toEqual({
        'slots:updated': 3,
        'notification_logs:deleted': 3,
        'slot_reminder_jobs:deleted': 2,
        'outbox_notifications:deleted': 2,
        'outbox_notifications:inserted': 3,
      });
      const slots = await all<{ id: number; status: string; candidate_tg_id: string | null }>(t.db, 'SELECT id, status, candidate_tg_id FROM slots ORDER BY id');
      expect(slots.filter((s) => [e1, e3, f2].includes(s.id)).every((s) => s.status === 'free' && s.candidate_tg_id === null)).toBe(true);
      expect(slots.find((s) => s.id === g2)).toMatchObject({ status: 'confirmed_by_candidate' });
      // The kept slots keep their log, job and messages.
      expect(await all(t.db, 'SELECT booking_id FROM notification_logs')).toEqual([{ booking_id: e2 }]);
      expect(await all(t.db, 'SELECT slot_id FROM slot_reminder_jobs')).toEqual([{ slot_id: e2 }]);
      const rejections = await all<{ booking_id: number; candidate_tg_id: string }>(
        t.db,
        `SELECT booking_id, candidate_tg_id FROM outbox_notifications WHERE type = 'candidate_rejection' ORDER BY booking_id`,
      );
      expect(rejections.map((m) => [m.booking_id, Number(m.candidate_tg_id)])).toEqual([
        [e1, E],
        [e3, E],
        [f2, F],
      ]);
      expect((await all(t.db, `SELECT id FROM outbox_notifications WHERE type <> 'candidate_rejection'`)).length).toBe(1);

      // One statement enqueued the batch's rejections: one per released candidate's slot, above.
      // A second run finds nothing to release and enqueues nothing new.
      const outboxAfter = await all(t.db, 'SELECT * FROM outbox_notifications ORDER BY id');
      const second = await planResolveDuplicates(t.db, {});
      expect(second.groups).toEqual([]);
      expect(await applyResolveDuplicates(applier, second)).toEqual({ released: [], skipped: [], batches: 0 });
      // The first plan carried out again (a run repeated from a stale preview): its slots are free now, nothing is told twice.
      const repeated = await applyResolveDuplicates(applier, plan);
      expect(repeated.released).toEqual([]);
      expect(repeated.skipped.map((x) => x.slotId).sort()).toEqual([e1, e3, f2, g2].sort());
      expect(await all(t.db, 'SELECT * FROM outbox_notifications ORDER BY id')).toEqual(outboxAfter);

      await restore.run(ctx({ yes: true }), { operation: done.archiveOperation } as never);
      expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
    });
  }

  it('the preview shows the first slots, as every preview does; the plan keeps every pair', async () => {
    t = await createTestDatabase('resolve_batch_preview');
    made.push(t);
    await SCHEMAS[0][1](t);
    const r = await addRecruiter(t.db);
    const pairs = 12;
    for (let i = 0; i < pairs; i++) {
      await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: E + 10 + i });
      await addSlot(t.db, r.id, { status: 'booked', candidateTgId: E + 10 + i });
    }
    const plan = await planResolveDuplicates(t.db, {});
    expect(plan.groups).toHaveLength(pairs);
    expect(plan.sample).toMatchObject({ table: 'slots', total: 2 * pairs });
    expect(plan.sample!.rows).toHaveLength(20);
    // In the groups' order, each with what the plan does with it: the first pair's kept slot first.
    expect(plan.sample!.rows.slice(0, 2).map((row) => row.keep)).toEqual(['keep (rule)', 'release']);
    expect((await planResolveDuplicates(t.db, { sample: 3 })).sample!.rows.map((row) => row.candidate_tg_id)).toEqual([E + 10, E + 10, E + 11]);
  });
});
