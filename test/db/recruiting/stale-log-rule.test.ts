/**
 * The stale-notification-log rule is written once (sql/recruiting/notification-logs.sql,
 * stale-logs) and read by the audit check notifications.stale-logs, the repair `notifications
 * clean-stale`, migration 0004's preflight and the approval rule. Here on databases whose inputs
 * to the rule disagree with each other: the legacy schema (the payload alone names the
 * candidate), the candidate column added and filled from the slot by hand as seed 002's fix plan
 * says (so a previous candidate's log now names the current one in its column), and the fixed
 * schema with writers that fill one side only. On each, the three give the same logs; running the
 * repair the audit names always clears the preflight; and 0004's fill then gives every log the
 * candidate its payload names.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { applyBatched } from '../../../src/archive/changes.js';
import { runAudit } from '../../../src/audit/runner.js';
import { selectChecks } from '../../../src/audit/registry.js';
import { planCleanStaleLogs } from '../../../src/domain/recruiting/clean-stale-logs.js';
import { cleanStaleLogs } from '../../../src/domain/recruiting/index.js';
import { loadMigrations } from '../../../src/migrate/migration-file.js';
import { runPreflight } from '../../../src/migrate/preflight.js';
import { migrateUp } from '../../../src/migrate/runner.js';
import { migrationsDir } from '../../../src/paths.js';
import { PAYLOAD_CANDIDATE_PATTERN } from '../../../src/platform/log-candidate.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { withOp } from '../../fixtures/domain.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';
import { legacySchema, runnerDepsFor } from '../../fixtures/schema.js';

const A = 8_100_000_001; // the slot's candidate
const B = 8_100_000_002; // a previous candidate

/** A log as a writer left it: the payload text, and (when the table has the column) the column. */
let logs = 0;
async function log(t: TestDatabase, slot: number, payload: string | null, column?: number | null): Promise<number> {
  const withColumn = column !== undefined;
  // The legacy key (type, booking_id) takes one log per type and slot: each log gets a type of its own.
  const { rows } = await t.db.raw(
    `INSERT INTO notification_logs (booking_id, type, payload${withColumn ? ', candidate_tg_id' : ''})
     VALUES (:slot, :type, :payload${withColumn ? ', :column' : ''}) RETURNING id`,
    { slot, type: `slot_approved_${++logs}`, payload, column: column ?? null },
  );
  return rows[0].id;
}

const payloadOf = (candidate: number | null) => (candidate === null ? '{"note": "sent"}' : `{"candidate_tg_id": ${candidate}}`);

/** What each reader says is stale, as sets of log ids. */
async function answers(t: TestDatabase) {
  const run = await runAudit(t.db, { checks: selectChecks(['notifications.stale-logs']), sample: 1000, thresholds: [], migrationsDir: migrationsDir() });
  const check = run.checks[0];
  const plan = await planCleanStaleLogs(t.db, { sample: 0 });
  const m0004 = (await loadMigrations(migrationsDir())).find((m) => m.name.startsWith('0004'))!;
  const preflight = (await runPreflight(t.db, m0004, { refuse: false }))!;
  return {
    audit: { count: check.count, ids: check.sample.map((r) => Number(r.log_id)).sort((a, b) => a - b) },
    repair: { count: plan.count, ids: [...plan.change.ids].sort((a, b) => a - b) },
    preflight: { count: preflight.violations, ids: preflight.sample.map((r) => Number(r.log_id)).sort((a, b) => a - b) },
  };
}

async function expectAgreement(t: TestDatabase, staleIds: number[]) {
  const a = await answers(t);
  const expected = { count: staleIds.length, ids: [...staleIds].sort((x, y) => x - y) };
  expect(a.audit).toEqual(expected);
  expect(a.repair).toEqual(expected);
  expect(a.preflight).toEqual(expected);
}

/** Runs the repair the audit check names, as `notifications clean-stale --yes` does. */
async function repair(t: TestDatabase) {
  const plan = await planCleanStaleLogs(t.db, {});
  await applyBatched({ transaction: (fn) => withOp(t.db, fn, cleanStaleLogs.action), progress: () => undefined }, plan.change);
}

describe('one stale-log rule: audit, repair and preflight agree', () => {
  const made: TestDatabase[] = [];
  afterAll(async () => Promise.all(made.map((t) => t.drop())));

  async function database(label: string): Promise<{ t: TestDatabase; held: number; free: number }> {
    const t = await createTestDatabase(label);
    made.push(t);
    await legacySchema(t);
    const r = await addRecruiter(t.db);
    return { t, held: await addSlot(t.db, r.id, { status: 'BOOKED', candidateTgId: A }), free: await addSlot(t.db, r.id) };
  }

  it('legacy schema: the payload alone names the candidate', async () => {
    const { t, held, free } = await database('stale_rule_legacy');
    const stale = [await log(t, held, payloadOf(B)), await log(t, held, payloadOf(null)), await log(t, held, 'not json {'), await log(t, free, payloadOf(A))];
    await log(t, held, payloadOf(A));
    await log(t, held, `{"candidate_tg_id": "${A}", "x": 1}`);
    await expectAgreement(t, stale);
    await repair(t);
    await expectAgreement(t, []);
    await migrateUp(await runnerDepsFor(t), { to: '0004' });
    // The fill gave every remaining log the candidate its payload names.
    const { rows } = await t.db.raw('SELECT candidate_tg_id, CAST(substring(payload FROM :pattern) AS bigint) AS named FROM notification_logs', { pattern: PAYLOAD_CANDIDATE_PATTERN });
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.candidate_tg_id).toBe(row.named);
  });

  it("seed 002's fix applied by hand: the column filled from the slot disagrees with the payload", async () => {
    const { t, held, free } = await database('stale_rule_by_hand');
    const previous = await log(t, held, payloadOf(B)); // the log the reschedule left behind
    const current = await log(t, held, payloadOf(A));
    const unnamed = await log(t, held, payloadOf(null));
    const freed = await log(t, free, payloadOf(B));
    // The fix plan: a candidate column, filled from the slot, and the new key.
    await t.db.raw(`
      ALTER TABLE notification_logs ADD COLUMN candidate_tg_id BIGINT;
      UPDATE notification_logs AS l SET candidate_tg_id = s.candidate_tg_id FROM slots AS s WHERE s.id = l.booking_id;
      CREATE UNIQUE INDEX notification_logs_by_candidate ON notification_logs (type, booking_id, candidate_tg_id);`);
    // A writer of the new code fills only the column; an old one only the payload; one fills both, wrongly.
    const columnOnly = await log(t, held, null, A);
    const payloadOnly = await log(t, held, payloadOf(A), null);
    const otherColumn = await log(t, held, null, B);
    const crossed = await log(t, held, payloadOf(A), B);
    const nobody = await log(t, held, payloadOf(null), null);
    expect(await t.db('notification_logs').where({ id: previous }).first()).toMatchObject({ candidate_tg_id: A });
    // A log whose payload names nobody is the column's once a column names someone: the hand fill
    // gave `unnamed` to A, as a writer of the new code would have (columnOnly); nothing tells them apart.
    expect(await t.db('notification_logs').where({ id: unnamed }).first()).toMatchObject({ candidate_tg_id: A });
    await expectAgreement(t, [previous, freed, otherColumn, crossed, nobody]);
    const audit = await runAudit(t.db, { checks: selectChecks(['notifications.stale-logs']), sample: 1000, thresholds: [], migrationsDir: migrationsDir() });
    expect(Object.fromEntries(audit.checks[0].sample.map((r) => [r.log_id, r.reason]))).toEqual({
      [previous]: 'column and payload disagree',
      [freed]: 'freed slot',
      [otherColumn]: 'other candidate',
      [crossed]: 'column and payload disagree',
      [nobody]: 'no candidate named',
    });
    await repair(t);
    await expectAgreement(t, []);
    expect((await t.db('notification_logs').pluck('id')).sort((x, y) => x - y)).toEqual([current, unnamed, columnOnly, payloadOnly].sort((x, y) => x - y));
    // The preflight is clear, so 0004 runs; it adopts the column and fills what the old writer left empty.
    await migrateUp(await runnerDepsFor(t), { to: '0004' });
    expect(await t.db('notification_logs').where({ id: payloadOnly }).first()).toMatchObject({ candidate_tg_id: A });
    await expectAgreement(t, []);
  });
});
