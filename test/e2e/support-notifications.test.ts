/**
 * bookops notifications clean-stale through the binary (seed 002 P0), before migration 0004
 * (the candidate in the JSON payload) and after it (the column): exactly what the audit check
 * notifications.stale-logs counts goes, in committed batches under one archive operation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { SCHEMAS } from '../fixtures/domain.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { addLog, archived, cli, cliJson, count, expectOneLineError, RECRUITING_TABLES, tables } from '../fixtures/support.js';

const A = 7_300_000_001;
const B = 7_300_000_002;

async function auditCount(t: TestDatabase): Promise<number> {
  const r = await cli(t, '--json', 'audit', 'notifications.stale-logs');
  return JSON.parse(r.stdout).checks[0].count;
}

describe.each(SCHEMAS)('notifications clean-stale on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const keyed = schema === 'fixed';
  let freed: number;
  let taken: number;
  let fine: number;
  beforeAll(async () => {
    t = await createTestDatabase(`support_notif_${schema}`);
    await apply(t);
    const r = await addRecruiter(t.db);
    freed = await addSlot(t.db, r.id, { status: 'FREE' });
    taken = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: B });
    fine = await addSlot(t.db, r.id, { status: 'Confirmed_By_Candidate', candidateTgId: A });
    // stale: the freed slot's logs (one with a malformed payload), B's slot still carrying A's logs
    await addLog(t.db, freed, A, 'slot_approved', keyed);
    await addLog(t.db, freed, A, 'candidate_confirmed', keyed);
    await t.db.raw(`INSERT INTO notification_logs (booking_id, type, payload) VALUES (:freed, 'reminder', 'not json {')`, { freed });
    for (const type of ['slot_approved', 'candidate_confirmed', 'reminder_2h', 'reminder_1h', 'other']) await addLog(t.db, taken, A, type, keyed);
    // stale: a log naming nobody on a held slot (it may be a previous candidate's); not stale: the holder's own log
    await addLog(t.db, fine, null, 'candidate_confirmed', keyed);
    await addLog(t.db, fine, A, 'slot_approved', keyed);
  });
  afterAll(async () => t?.drop());

  it('--dry-run lists what the audit counts and changes nothing; --slot narrows; bad slots are refused', async () => {
    const before = await tables(t.db, RECRUITING_TABLES);
    expect(await auditCount(t)).toBe(9);
    const dry = await cliJson(t, '--dry-run', 'notifications', 'clean-stale', '--sample', '3');
    expect(dry.plan).toMatchObject({ keyedByCandidate: keyed, count: 9, sample: { total: 9 } });
    expect(dry.plan.sample.rows).toHaveLength(3);
    const one = await cliJson(t, '--dry-run', 'notifications', 'clean-stale', '--slot', String(taken));
    expect(one.plan.count).toBe(5);
    const unnamed = await cliJson(t, '--dry-run', 'notifications', 'clean-stale', '--slot', String(fine));
    expect(unnamed.plan.count).toBe(1);
    expectOneLineError(await cli(t, '--yes', 'notifications', 'clean-stale', '--slot', '424242'), 5, /slot 424242 does not exist/);
    expectOneLineError(await cli(t, '--yes', 'notifications', 'clean-stale', '--slot', "1' OR '1'='1"), 2);
    expectOneLineError(await cli(t, 'notifications', 'clean-stale'), 4);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });

  it('deletes in committed batches under one operation, archive rows = removed rows, audit clean; restore row for row', async () => {
    const before = await tables(t.db, RECRUITING_TABLES);
    const done = await cliJson(t, '--yes', 'notifications', 'clean-stale', '--batch-size', '3');
    expect(done.result).toEqual({ rows: 9, batches: 3 });
    const op = done.archiveOperation;
    expect(await archived(t.db, op)).toEqual({ 'notification_logs:deleted': 9 });
    expect(await count(t.db, 'SELECT count(DISTINCT xmin::text) FROM bookops_archive_rows WHERE operation_id = :op', { op })).toBe(3);
    expect(await auditCount(t)).toBe(0);
    expect(await count(t.db, 'SELECT count(*) FROM notification_logs WHERE booking_id = :fine', { fine })).toBe(1);
    const none = await cliJson(t, '--yes', 'notifications', 'clean-stale', '--slot', String(fine));
    expect(none).toMatchObject({ nothingToDo: true });
    expect((await cli(t, '--yes', 'archive', 'restore', String(op))).code).toBe(0);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });
});
