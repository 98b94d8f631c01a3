/**
 * Acceptance: on the demo database, `bookops audit --json` reports exactly what `bookops demo
 * seed` planted (id by id) plus the documented legacy schema findings, and exits 1; after the
 * repairs and the migrations it exits 0, even with --fail-on warn.
 *
 * The repairs are the commands docs/CHECKS.md names (slots resolve-duplicates, slots release,
 * notifications clean-stale, outbox dedupe / requeue / retry-failed, interviews clean-cancelled,
 * migrate up, chats verify --backfill), driven by the audit's own samples. Two steps are not
 * bookops' job and are done in SQL: the outbox worker delivering what was requeued, and the
 * rooms the checks call manual (restore a soft-deleted room, soft-delete a self-room).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';

/** What docs/CHECKS.md documents for the legacy schema (not planted data: the schema itself). */
const LEGACY_SCHEMA_FINDINGS = {
  'whatsapp.blocking-fks': 5,
  'schema.pending-migrations': 7,
  'schema.invalid-indexes': 0,
  'schema.chat-trigger': 4,
};

interface Check {
  id: string;
  status: string;
  count: number;
  severity: string;
  sample: Array<Record<string, unknown>>;
}

/** The outbox worker (not bookops) delivers what is pending again. */
const WORKER_DELIVERS = `UPDATE outbox_notifications SET status = 'sent', locked_at = NULL, next_retry_at = NULL WHERE lower(status) = 'pending'`;

/** The manual repairs of docs/CHECKS.md for rooms. */
const MANUAL_ROOM_REPAIRS = `
-- chats.blocked-by-deleted: restore the soft-deleted room of pairs that have no live one
UPDATE chat_rooms r SET deleted_at = NULL
WHERE r.deleted_at IS NOT NULL AND r.teacher_id <> r.student_id
  AND NOT EXISTS (SELECT FROM chat_rooms live WHERE live.teacher_id = r.teacher_id AND live.student_id = r.student_id AND live.deleted_at IS NULL);
-- chats.self-rooms: soft-delete them
UPDATE chat_rooms SET deleted_at = now() WHERE teacher_id = student_id AND deleted_at IS NULL;`;

describe('acceptance: the demo database', () => {
  let t: TestDatabase;
  let planted: Record<string, { count: number }>;

  beforeAll(async () => {
    t = await createTestDatabase('audit_demo');
    await legacySchema(t);
    // The demo's own default scale: every planting variant (every n-th row) is present.
    const seed = await runCli(['--db', t.url, 'demo', 'seed', '--scale', '1000', '--json'], { timeoutMs: 300_000 });
    expect(seed.code, seed.stderr).toBe(0);
    planted = JSON.parse(seed.stdout).planted;
  });
  afterAll(async () => t?.drop());

  it('audit --json reports exactly the planted defects and exits 1', async () => {
    const r = await runCli(['--db', t.url, 'audit', '--json']);
    expect(r.code).toBe(1);
    const checks = new Map((JSON.parse(r.stdout).checks as Check[]).map((c) => [c.id, c]));
    expect(Object.keys(planted).length).toBeGreaterThan(10);
    for (const [id, p] of Object.entries(planted)) {
      expect(checks.get(id)?.count, id).toBe(p.count);
      expect(checks.get(id)?.status, id).toBe(p.count > 0 ? 'finding' : 'ok');
    }
    for (const [id, count] of Object.entries(LEGACY_SCHEMA_FINDINGS)) expect(checks.get(id)?.count, id).toBe(count);
    // Nothing else is reported: every finding is a planted defect or a documented schema finding.
    const explained = new Set([...Object.keys(planted), ...Object.keys(LEGACY_SCHEMA_FINDINGS)]);
    expect([...checks.values()].filter((c) => c.status === 'finding' && !explained.has(c.id))).toEqual([]);
  });

  it('after the repairs and the migrations it exits 0', async () => {
    const ok = (r: CliResult, what: string) => expect(r.code, `${what}: ${r.stderr}`).toBe(0);
    const bookops = (...args: string[]) => runCli(['--db', t.url, ...args], { timeoutMs: 300_000 });
    const audit = async (id: string) =>
      (JSON.parse((await bookops('audit', id, '--sample', '1000', '--json')).stdout).checks as Check[])[0];

    ok(await bookops('slots', 'resolve-duplicates', '--by-rule', '--yes'), 'slots resolve-duplicates');
    // Release the later slot of each overlapping pair until none is left.
    for (let pass = 0; (await audit('recruiting.overlapping-slots')).count > 0; pass++) {
      expect(pass).toBeLessThan(5);
      const ids = new Set((await audit('recruiting.overlapping-slots')).sample.map((s) => String(s.other_slot_id)));
      for (const id of ids) ok(await bookops('slots', 'release', id, '--yes'), `slots release ${id}`);
    }
    ok(await bookops('notifications', 'clean-stale', '--yes'), 'notifications clean-stale');
    ok(await bookops('outbox', 'dedupe', '--yes'), 'outbox dedupe');
    const stuck = (await audit('outbox.stuck')).sample.map((s) => String(s.id));
    ok(await bookops('outbox', 'requeue', ...stuck, '--yes'), 'outbox requeue');
    ok(await bookops('outbox', 'retry-failed', '--yes'), 'outbox retry-failed');
    await t.db.raw(WORKER_DELIVERS);
    ok(await bookops('interviews', 'clean-cancelled', '--yes'), 'interviews clean-cancelled');
    await t.db.raw(MANUAL_ROOM_REPAIRS);

    const up = await bookops('migrate', 'up');
    expect(up.code, up.stderr).toBe(0);
    const backfill = await bookops('chats', 'verify', '--backfill', '--json');
    expect(backfill.code, backfill.stdout).toBe(0);
    // The blocked pairs got their room back by the restore above: the backfill creates the missing ones only.
    expect(JSON.parse(backfill.stdout).backfill.created).toBe(planted['chats.missing'].count);
    const r = await bookops('audit', '--fail-on', 'warn', '--json');
    const report = JSON.parse(r.stdout);
    expect(report.checks.filter((c: Check) => c.status !== 'ok')).toEqual([]);
    expect(r.code).toBe(0);
    expect(report).toMatchObject({ healthy: true, exitCode: 0 });
  });
});
