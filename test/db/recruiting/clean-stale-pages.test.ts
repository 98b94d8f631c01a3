/**
 * notifications clean-stale runs a page of planned log ids at a time, and each page reads only
 * the slots between its logs' lowest and highest slot (sql/recruiting/notification-logs.sql
 * stale-logs, by the slots' key). Here the logs are written in the reverse order of their slots,
 * so a page's slots are far apart, with held slots and their current logs in between: every
 * stale log goes, every current one stays, each removed row is archived once, and the restore
 * puts the table back row for row. On the legacy schema and with every migration applied.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { applyBatched } from '../../../src/archive/changes.js';
import { restoreOperation } from '../../../src/archive/restore.js';
import { planCleanStaleLogs } from '../../../src/domain/recruiting/clean-stale-logs.js';
import { cleanStaleLogs } from '../../../src/domain/recruiting/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { all, archivedCounts, SCHEMAS, snapshot, withOp } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';

const CANDIDATE = 8_200_000_000;

describe('notifications clean-stale: pages keyed by the slots they read', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => Promise.all(made.map((t) => t.drop())));

  for (const [schema, apply] of SCHEMAS) {
    it(`${schema}: every stale log of every page goes, archived once; current logs stay; restore puts all back`, async () => {
      const t = await createTestDatabase(`clean_stale_pages_${schema}`);
      made.push(t);
      await apply(t);
      const keyed = schema === 'fixed';
      const r = await addRecruiter(t.db);
      // Slots alternate: freed (its log is stale) and held by a candidate (its log is theirs).
      const slots: Array<{ id: number; candidate: number | null }> = [];
      for (let i = 0; i < 12; i++) {
        const candidate = i % 2 === 0 ? null : CANDIDATE + i;
        slots.push({ id: await addSlot(t.db, r.id, candidate === null ? {} : { status: 'booked', candidateTgId: candidate }), candidate });
      }
      // Written newest slot first: log ids run against slot ids.
      for (const s of [...slots].reverse()) {
        const named = s.candidate ?? CANDIDATE + 1000;
        await t.db.raw(
          `INSERT INTO notification_logs (booking_id, type, payload${keyed ? ', candidate_tg_id' : ''})
           VALUES (:slot, 'slot_approved', :payload${keyed ? ', :named' : ''})`,
          { slot: s.id, payload: `{"candidate_tg_id": ${named}}`, named },
        );
      }
      const before = await snapshot(t.db, 'notification_logs');
      const staleSlots = slots.filter((s) => s.candidate === null).map((s) => s.id);

      const plan = await planCleanStaleLogs(t.db, { batchSize: 2 });
      expect(plan.count).toBe(6);
      let operationId = 0;
      const result = await applyBatched(
        {
          transaction: (fn) =>
            withOp(t.db, async (trx, op) => {
              operationId = op.id;
              return fn(trx, op);
            }, cleanStaleLogs.action),
          progress: () => undefined,
        },
        plan.change,
      );
      expect(result).toEqual({ rows: 6, batches: 3 });
      const left = await all<{ booking_id: number }>(t.db, 'SELECT booking_id FROM notification_logs ORDER BY booking_id');
      expect(left.map((l) => l.booking_id)).toEqual(slots.filter((s) => s.candidate !== null).map((s) => s.id));
      expect(left.some((l) => staleSlots.includes(l.booking_id))).toBe(false);

      // Every batch is an operation of its own here (withOp per transaction): count them all.
      const ops = await all<{ id: number }>(t.db, `SELECT id FROM bookops_archive_operations WHERE action = :action ORDER BY id`, { action: cleanStaleLogs.action });
      expect(ops.map((o) => o.id)).toContain(operationId);
      let archived = 0;
      for (const o of ops) archived += (await archivedCounts(t.db, o.id))['notification_logs:deleted'] ?? 0;
      expect(archived).toBe(6);

      for (const o of ops) await t.db.transaction((trx) => restoreOperation(trx, o.id));
      expect(await snapshot(t.db, 'notification_logs')).toEqual(before);
    });
  }
});
