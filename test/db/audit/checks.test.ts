/**
 * Every audit check, run through the real runner on real databases: each fires where its
 * defect is planted (legacy schema, or a "loose" database without the constraints that would
 * forbid it) and stays quiet on near misses (legacy "clean" data, or the fixed schema).
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectChecks } from '../../../src/audit/registry.js';
import { runAudit } from '../../../src/audit/runner.js';
import type { CheckDefinition, CheckResult } from '../../../src/audit/types.js';
import { verdict as auditVerdict } from '../../../src/audit/verdict.js';
import { AUDIT_EXIT } from '../../../src/commands/audit/audit.js';
import { projectRoot } from '../../../src/paths.js';
import { CLEAN, DEFECTS_LEGACY, PLANTED_LEGACY, S, T1, T2 } from '../../fixtures/audit-data.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { fixedSchema, legacySchema } from '../../fixtures/schema.js';

/** The audit's verdict with the exit code `bookops audit` gives it (the command maps the outcome). */
function verdict(checks: CheckResult[], failOn: 'warn' | 'error') {
  const v = auditVerdict(checks, failOn);
  return { ...v, exitCode: AUDIT_EXIT[v.outcome] };
}

const MIGRATIONS = join(projectRoot(), 'migrations');

async function audit(t: TestDatabase, ids: string[] = [], thresholds: Record<string, Record<string, number>> = {}) {
  const run = await runAudit(t.db, { checks: selectChecks(ids), sample: 10, thresholds: [thresholds], migrationsDir: MIGRATIONS });
  return { ...run, byId: new Map(run.checks.map((c) => [c.id, c])) };
}

function result(run: { byId: Map<string, CheckResult> }, id: string): CheckResult {
  const r = run.byId.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  return r;
}

const DROP_CONSTRAINTS = `
DO $$
DECLARE r record;
BEGIN
  -- found in the catalog, whatever their names: the loose database has none of these
  FOR r IN SELECT c.conname, c.conrelid::regclass AS tbl FROM pg_constraint c
           WHERE (c.contype = 'f' AND c.conrelid IN ('bots'::regclass, 'whatsapp_messages'::regclass))
              OR (c.contype = 'u' AND c.conrelid = 'chat_rooms'::regclass) LOOP
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.conname);
  END LOOP;
  FOR r IN SELECT i.indexrelid::regclass AS idx FROM pg_index i
           WHERE i.indrelid = 'interviews'::regclass AND i.indisunique AND NOT i.indisprimary LOOP
    EXECUTE format('DROP INDEX %s', r.idx);
  END LOOP;
END $$`;

describe('audit checks', () => {
  let legacy: TestDatabase; // legacy schema, every defect it allows
  let clean: TestDatabase; // legacy schema, near misses only
  let fixed: TestDatabase; // every migration, near misses, one stale log of another candidate
  let loose: TestDatabase; // every migration, then the constraints that forbid the rest dropped
  let empty: TestDatabase; // no platform table at all
  let legacyRun: Awaited<ReturnType<typeof audit>>;
  let cleanRun: Awaited<ReturnType<typeof audit>>;
  let fixedRun: Awaited<ReturnType<typeof audit>>;
  let looseRun: Awaited<ReturnType<typeof audit>>;

  beforeAll(async () => {
    [legacy, clean, fixed, loose, empty] = await Promise.all(['audit_legacy', 'audit_clean', 'audit_fixed', 'audit_loose', 'audit_empty'].map(createTestDatabase));
    await Promise.all([legacySchema(legacy), legacySchema(clean), fixedSchema(fixed), fixedSchema(loose)]);
    await legacy.db.raw(DEFECTS_LEGACY);
    await clean.db.raw(CLEAN);
    await fixed.db.raw(CLEAN);
    await fixed.db.raw(`
      INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id) VALUES (9, 1, '2031-01-01 09:00+00', 60, 'booked', 601);
      INSERT INTO notification_logs (booking_id, type, payload, candidate_tg_id) VALUES (9, 'approved', NULL, 600), (9, 'reminder', NULL, 601)`);
    await loose.db.raw(DROP_CONSTRAINTS);
    await loose.db.raw(`
      INSERT INTO time_slots (id, interviewer_id, start_time, end_time) VALUES (1, 1, now(), now() + interval '1 hour');
      INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (1, 1, 'pending'), (1, 2, 'CONFIRMED'), (1, 3, 'cancelled');
      INSERT INTO whatsapp_numbers (id, phone_number) VALUES (1, '+10000000001');
      INSERT INTO conversations (id, whatsapp_number_id, contact_phone) VALUES (1, 1, '+1999');
      INSERT INTO bots (whatsapp_number_id, name) VALUES (1, 'kept'), (99, 'orphan');
      INSERT INTO whatsapp_messages (conversation_id, direction) VALUES (1, 'in'), (99, 'in');
      INSERT INTO users (id, email) VALUES ('${T1}', 't1@x'), ('${S(1)}', 's1@x');
      INSERT INTO chat_rooms (teacher_id, student_id) VALUES ('${T1}', '${S(1)}'), ('${T1}', '${S(1)}');
      INSERT INTO recruiters (name) VALUES ('same'), ('same');
      -- overlaps: A [9:00, 10:30) with B [9:30, 10:00), C [10:00, 11:00) and D [9:00, 9:30) (same start);
      -- B and C, D and B only touch; E is free.
      INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id) VALUES
        (1, 1, '2030-01-01 09:00+00', 90, 'BOOKED', 1), (2, 1, '2030-01-01 09:30+00', 30, 'pending', 2),
        (3, 1, '2030-01-01 10:00+00', 60, 'Confirmed_By_Candidate', 3), (4, 1, '2030-01-01 09:00+00', 30, 'booked', 4),
        (5, 1, '2030-01-01 09:00+00', 120, 'free', NULL);
      ALTER TABLE bookings DISABLE TRIGGER booking_create_chat;
      CREATE OR REPLACE FUNCTION create_chat_on_booking_active() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN RETURN NULL; END $fn$`);
    // A failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind.
    await expect(loose.db.raw('CREATE UNIQUE INDEX CONCURRENTLY audit_test_invalid ON recruiters (name)')).rejects.toThrow();
    [legacyRun, cleanRun, fixedRun, looseRun] = await Promise.all([audit(legacy), audit(clean), audit(fixed), audit(loose)]);
  });
  afterAll(async () => Promise.all([legacy, clean, fixed, loose, empty].map((t) => t?.drop())));

  describe('fire where the defect is', () => {
    for (const [id, count] of Object.entries(PLANTED_LEGACY).filter(([, n]) => n > 0)) {
      it(`${id}: ${count} on the legacy database`, () => {
        const r = result(legacyRun, id);
        expect(r.status).toBe('finding');
        expect(r.count).toBe(count);
        expect(r.sample).toHaveLength(count);
      });
    }

    it('interviews.duplicate-active: a slot with a pending and a CONFIRMED interview, without the unique index', () => {
      const r = result(looseRun, 'interviews.duplicate-active');
      expect(r).toMatchObject({ status: 'finding', count: 1 });
      expect(r.sample[0]).toMatchObject({ time_slot_id: 1, active_interviews: 2, statuses: ['pending', 'confirmed'] });
    });

    it('whatsapp.orphans: a bot without its number and a message without its conversation', () => {
      const r = result(looseRun, 'whatsapp.orphans');
      expect(r.count).toBe(2);
      expect(r.sample.map((s) => [s.table_name, s.parent_id])).toEqual([
        ['bots', 99],
        ['whatsapp_messages', 99],
      ]);
    });

    it('chats.duplicates: two live rooms of one pair', () => {
      expect(result(looseRun, 'chats.duplicates')).toMatchObject({ status: 'finding', count: 1 });
      expect(result(looseRun, 'chats.duplicates').sample[0]).toMatchObject({ teacher_id: T1, student_id: S(1), rooms: 2 });
    });

    it('schema.chat-trigger: a disabled trigger, a changed function and the unique key of chat_rooms dropped', () => {
      const r = result(looseRun, 'schema.chat-trigger');
      expect(r.count).toBe(3);
      expect(r.sample.map((s) => [s.name, s.state])).toEqual([
        ['create_chat_on_booking_active', 'differs'],
        ['booking_create_chat', 'disabled'],
        ['chat_rooms (teacher_id, student_id)', 'missing'],
      ]);
      expect(r.repair).toContain('CREATE UNIQUE INDEX CONCURRENTLY chat_rooms_teacher_id_student_id_key ON chat_rooms (teacher_id, student_id)');
      expect(r.repair).toContain('ALTER TABLE bookings ENABLE TRIGGER booking_create_chat');
      // 0006 is applied: migrate up alone would not bring the function back.
      expect(r.repair).toContain('bookops migrate down --to 0005_whatsapp_cascade_deletes.sql then bookops migrate up');
      expect(r.repair).not.toContain('<');
    });

    it('schema.changed-migrations: an applied migration edited since, or whose file is gone', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bookops-migrations-'));
      try {
        cpSync(MIGRATIONS, dir, { recursive: true });
        const checks = selectChecks(['schema.changed-migrations']);
        const run = () => runAudit(fixed.db, { checks, sample: 10, thresholds: [], migrationsDir: dir });
        expect((await run()).checks[0]).toMatchObject({ status: 'ok', count: 0 });
        const edited = join(dir, '0006_lessons_chat_triggers.sql');
        writeFileSync(edited, readFileSync(edited, 'utf8').replace('-- lessons:', '-- lessons (edited):'));
        rmSync(join(dir, '0008_outbox_null_candidate_unique.sql'));
        const r = (await run()).checks[0];
        expect(r).toMatchObject({ status: 'finding', count: 2 });
        expect(r.sample).toEqual([
          { migration: '0006_lessons_chat_triggers.sql', state: 'file changed since applied' },
          { migration: '0008_outbox_null_candidate_unique.sql', state: 'file missing' },
        ]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('recruiting.overlapping-slots counts pairs, not slots; touching slots do not overlap', () => {
      const r = result(looseRun, 'recruiting.overlapping-slots');
      expect(r.count).toBe(3);
      expect(r.sample.map((s) => [s.slot_id, s.other_slot_id])).toEqual([
        [1, 2],
        [1, 3],
        [1, 4],
      ]);
    });

    it('schema.invalid-indexes: the leftover of a failed concurrent build', () => {
      const r = result(looseRun, 'schema.invalid-indexes');
      expect(r.count).toBe(1);
      expect(r.sample[0]).toMatchObject({ index_name: 'audit_test_invalid', table_name: 'recruiters' });
    });

    it('notifications.stale-logs: from the candidate_tg_id column on the fixed schema', () => {
      const r = result(fixedRun, 'notifications.stale-logs');
      expect(r.count).toBe(1);
      expect(r.sample[0]).toMatchObject({ slot_id: 9, log_candidate_tg_id: 600, slot_candidate_tg_id: 601, reason: 'other candidate' });
      expect(r.details?.candidateFrom).toBe('notification_logs.candidate_tg_id and the payload, which must agree');
    });
  });

  describe('stay quiet on near misses', () => {
    const dataChecks = Object.keys(PLANTED_LEGACY).filter((id) => !id.startsWith('schema.') && id !== 'whatsapp.blocking-fks');
    for (const id of dataChecks) {
      it(`${id}: 0 on clean legacy data`, () => expect(result(cleanRun, id)).toMatchObject({ status: 'ok', count: 0 }));
    }
    for (const id of ['interviews.cancelled-blocking', 'whatsapp.blocking-fks', 'schema.pending-migrations', 'schema.chat-trigger', 'schema.invalid-indexes']) {
      it(`${id}: 0 on the fixed schema`, () => expect(result(fixedRun, id)).toMatchObject({ status: 'ok', count: 0 }));
    }
    it('the fixed database is healthy but for the planted stale log', () => {
      const v = verdict(fixedRun.checks, 'warn');
      expect(fixedRun.checks.filter((c) => c.status !== 'ok').map((c) => c.id)).toEqual(['notifications.stale-logs']);
      expect(v.exitCode).toBe(1);
      expect(verdict(fixedRun.checks, 'error')).toMatchObject({ healthy: true, exitCode: 0 });
    });
  });

  describe('details', () => {
    it('samples carry the keys of the offending rows', () => {
      expect(result(legacyRun, 'recruiting.double-booking').sample[0]).toMatchObject({
        candidate_tg_id: 501,
        recruiter_id: 1,
        active_slots: 2,
        slot_ids: [1, 2],
        statuses: ['pending', 'confirmed_by_candidate'],
      });
      expect(result(legacyRun, 'recruiting.overlapping-slots').sample[0]).toMatchObject({ recruiter_id: 1, slot_id: 2, other_slot_id: 3 });
      expect(result(legacyRun, 'outbox.duplicates').sample[0]).toMatchObject({ type: 'reject', booking_id: 1, candidate_tg_id: null, rows: 2 });
      // The key's rows, matched with its NULL candidate as equal: both of them, in id order.
      const { ids, statuses } = result(legacyRun, 'outbox.duplicates').sample[0] as { ids: number[]; statuses: string[] };
      expect(ids).toHaveLength(2);
      expect(ids[0]).toBeLessThan(ids[1]);
      expect(statuses).toHaveLength(2);
      expect(result(legacyRun, 'chats.missing').sample[0]).toMatchObject({ teacher_id: T1, student_id: S(1), bookings: 2 });
      expect(result(legacyRun, 'chats.missing').details).toEqual({ bookings: 2 });
      expect(result(legacyRun, 'chats.blocked-by-deleted').sample[0]).toMatchObject({ teacher_id: T2, student_id: S(5) });
      expect(result(legacyRun, 'chats.self-rooms').sample[0]).toMatchObject({ teacher_id: T1, student_id: T1 });
    });

    it('cancelled-blocking names the blocking constraint whatever it is called', () => {
      const r = result(legacyRun, 'interviews.cancelled-blocking');
      expect(r.sample.map((s) => [s.time_slot_id, s.blocked_by])).toEqual([
        [1, 'iv_slot_unique_legacy'],
        [2, 'iv_slot_unique_legacy'],
      ]);
    });

    it('stale logs on the legacy schema come from the payload; a malformed payload names nobody: stale', () => {
      const r = result(legacyRun, 'notifications.stale-logs');
      expect(r.sample.map((s) => [s.slot_id, s.reason, String(s.log_candidate_tg_id)])).toEqual([
        [1, 'other candidate', '999'],
        [3, 'no candidate named', 'null'],
        [4, 'freed slot', '777'],
      ]);
      expect(String(r.details?.candidateFrom)).toMatch(/payload/);
    });

    it('slot status counts list every status lower-cased, confirmed_by_candidate included', () => {
      const r = result(legacyRun, 'recruiting.slot-status-counts');
      expect(r.status).toBe('ok');
      expect(r.count).toBe(8);
      expect(Object.fromEntries(r.sample.map((s) => [s.status, s.slots]))).toEqual({
        booked: 4,
        pending: 1,
        confirmed_by_candidate: 1,
        free: 1,
        canceled: 1,
      });
    });

    it('the blocking foreign keys are found by walking the tree, whatever their names', () => {
      const r = result(legacyRun, 'whatsapp.blocking-fks');
      expect(r.sample.map((s) => `${s.table_name}->${s.references_table}`).sort()).toEqual([
        'bots->whatsapp_numbers',
        'broadcast_recipients->broadcasts',
        'broadcasts->whatsapp_numbers',
        'conversations->whatsapp_numbers',
        'whatsapp_messages->conversations',
      ]);
    });

    it('pending migrations and chat objects on the legacy schema', () => {
      expect(result(legacyRun, 'schema.pending-migrations').sample.map((s) => s.migration)).toEqual([
        '0002_interviews_active_slot_unique.sql',
        '0003_slots_active_candidate_unique.sql',
        '0004_notification_logs_by_candidate.sql',
        '0005_whatsapp_cascade_deletes.sql',
        '0006_lessons_chat_triggers.sql',
        '0007_lessons_chat_backfill_by_bookings.sql',
        '0008_outbox_null_candidate_unique.sql',
      ]);
      expect(result(legacyRun, 'schema.chat-trigger').sample.every((s) => s.state === 'missing')).toBe(true);
    });
  });

  describe('thresholds', () => {
    it('outbox.stuck follows locked-for and pending-for', async () => {
      const longer = await audit(legacy, ['outbox.stuck'], { 'outbox.stuck': { 'locked-for': 30 * 60_000 } });
      expect(result(longer, 'outbox.stuck').count).toBe(1);
      expect(result(longer, 'outbox.stuck').thresholds['locked-for']).toEqual({ value: 1_800_000, unit: 'ms', text: '30m' });
      const both = await audit(legacy, ['outbox.stuck'], { 'outbox.stuck': { 'locked-for': 30 * 60_000, 'pending-for': 3 * 3_600_000 } });
      expect(result(both, 'outbox.stuck').count).toBe(0);
      const shorter = await audit(legacy, ['outbox.stuck'], { 'outbox.stuck': { 'locked-for': 60_000, 'pending-for': 10 * 60_000 } });
      expect(result(shorter, 'outbox.stuck').count).toBe(4);
    });

    it('min-count: below it the check is ok and tolerated, with its count and sample; from it, a finding', async () => {
      // interviews.cancelled-blocking counts 2 on the legacy database.
      const id = 'interviews.cancelled-blocking';
      const tolerated = await audit(legacy, [id], { [id]: { 'min-count': 3 } });
      expect(result(tolerated, id)).toMatchObject({ status: 'ok', tolerated: true, count: 2, thresholds: { 'min-count': { value: 3, unit: 'count', text: '3' } } });
      expect(result(tolerated, id).sample).toHaveLength(2);
      expect(verdict(tolerated.checks, 'warn')).toMatchObject({ healthy: true, exitCode: 0, summary: { ok: 1, tolerated: 1, findings: 0 } });

      const reached = await audit(legacy, [id], { [id]: { 'min-count': 2 } });
      expect(result(reached, id)).toMatchObject({ status: 'finding', tolerated: false, count: 2 });
      expect(verdict(reached.checks, 'warn')).toMatchObject({ healthy: false, exitCode: 1, summary: { tolerated: 0, findings: 1 } });
    });

    it('min-count defaults to 1 on every check but info ones; a count of 0 is ok, not tolerated', () => {
      for (const c of legacyRun.checks.filter((r) => r.severity !== 'info')) {
        expect(c.thresholds['min-count'], c.id).toEqual({ value: 1, unit: 'count', text: '1' });
        expect(c.tolerated, c.id).toBe(false);
        expect(c.status, c.id).toBe(c.count > 0 ? 'finding' : 'ok');
      }
      const info = result(legacyRun, 'recruiting.slot-status-counts');
      expect(info).toMatchObject({ status: 'ok', tolerated: false, count: 8 });
      expect(info.thresholds).toEqual({});
    });
  });

  describe('modules and failures', () => {
    it('skips every check of an absent module and does not call the audit healthy', async () => {
      const run = await audit(empty);
      const data = run.checks.filter((c) => c.module !== 'schema');
      expect(data.every((c) => c.status === 'skipped')).toBe(true);
      expect(result(run, 'chats.missing').reason).toMatch(/module lessons absent/);
      expect(result(run, 'schema.chat-trigger').status).toBe('skipped');
      const v = verdict(run.checks, 'error');
      expect(v.healthy).toBe(false);
      expect(v.exitCode).toBe(1);
      expect(v.reasons.join()).toMatch(/no data check ran/);
    });

    it('skips by table, not by module: a check whose tables exist runs in an incomplete module', async () => {
      const partial = await createTestDatabase('audit_partial');
      try {
        await legacySchema(partial);
        await partial.db.raw(`
          DROP TABLE slot_reminder_jobs;
          DROP TABLE conversations CASCADE;
          INSERT INTO recruiters (name) VALUES ('r');
          INSERT INTO slots (id, recruiter_id, start_utc, status, candidate_tg_id) VALUES (1, 1, now(), 'booked', 5);
          INSERT INTO outbox_notifications (booking_id, type, status) VALUES (1, 'x', 'pending'), (1, 'x', 'pending')`);
        const run = await audit(partial);
        expect(run.modules.absent).toMatchObject({ recruiting: ['slot_reminder_jobs'], whatsapp: ['conversations'] });
        // The recruiting module lacks reminder jobs, which no check reads: all of its checks ran.
        expect(result(run, 'outbox.duplicates')).toMatchObject({ status: 'finding', count: 1 });
        expect(run.checks.filter((c) => c.module === 'recruiting').every((c) => c.status !== 'skipped')).toBe(true);
        expect(result(run, 'whatsapp.blocking-fks').status).not.toBe('skipped');
        expect(result(run, 'whatsapp.orphans')).toMatchObject({ status: 'skipped', reason: 'no table conversations (module whatsapp incomplete)' });
      } finally {
        await partial.drop();
      }
    });

    it('a failing check is reported as such and does not hide the others; nothing can be written', async () => {
      const writes: CheckDefinition = {
        ...selectChecks(['chats.self-rooms'])[0],
        id: 'test.writes',
        run: async (env) => {
          await env.db.raw("INSERT INTO recruiters (name) VALUES ('written by an audit')");
          return { count: 0, sample: [] };
        },
      };
      const run = await runAudit(legacy.db, {
        checks: [writes, ...selectChecks(['chats.self-rooms'])],
        sample: 10,
        thresholds: [],
        migrationsDir: MIGRATIONS,
      });
      expect(run.checks[0]).toMatchObject({ id: 'test.writes', status: 'error' });
      expect(run.checks[0].reason).toMatch(/read-only transaction/);
      expect(run.checks[1]).toMatchObject({ id: 'chats.self-rooms', status: 'finding', count: 1 });
      // self-rooms is a warning: findings at --fail-on warn decide 1; otherwise the failed check decides 7.
      expect(verdict(run.checks, 'warn').exitCode).toBe(1);
      expect(verdict(run.checks, 'error').exitCode).toBe(7);
      const { rows } = await legacy.db.raw("SELECT count(*)::int AS n FROM recruiters WHERE name = 'written by an audit'");
      expect(rows[0].n).toBe(0);
    });

    it('when the only data check fails, the reason is its failure, not that nothing was selected or present (exit 7)', async () => {
      const failing: CheckDefinition = {
        ...selectChecks(['outbox.stuck'])[0],
        id: 'test.fails',
        run: async (env) => {
          await env.db.raw('SELECT no_such_column FROM outbox_notifications');
          return { count: 0, sample: [] };
        },
      };
      const opts = { sample: 10, thresholds: [], migrationsDir: MIGRATIONS };
      const alone = await runAudit(legacy.db, { checks: [failing], ...opts });
      expect(verdict(alone.checks, 'error')).toMatchObject({ healthy: false, exitCode: 7, reasons: ['1 check(s) failed: test.fails'] });
      // Beside a schema check that ran: still the failure alone, no "every selected module is absent or skipped".
      const withSchema = await runAudit(legacy.db, { checks: [failing, ...selectChecks(['schema.invalid-indexes'])], ...opts });
      expect(verdict(withSchema.checks, 'error')).toMatchObject({ healthy: false, exitCode: 7, reasons: ['1 check(s) failed: test.fails'] });
    });
  });
});
