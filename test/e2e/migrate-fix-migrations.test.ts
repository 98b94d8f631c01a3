/**
 * The fix migrations 0002-0008 through the built binary, on legacy databases as they are found
 * in production: other constraint names, upper-case statuses, duplicates that must stop the run,
 * and writers that keep writing while `migrate up` runs. (A crash after any statement, run
 * in-process, is test/db/migrate/fix-migrations-crash.test.ts.)
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invokedOn, runCli } from '../fixtures/cli.js';
import { createTestDatabase, databasesForThisFile, type TestDatabase } from '../fixtures/db.js';
import { catalog, legacyData } from '../fixtures/fix-migrations.js';
import { legacySchema } from '../fixtures/schema.js';
import { lintPlan } from '../fixtures/squawk.js';

/** Production databases name things their own way: rename every key the migrations replace. */
async function renameLegacyKeys(t: TestDatabase): Promise<void> {
  await t.db.raw(`
    ALTER TABLE interviews DROP CONSTRAINT interviews_time_slot_id_key;
    CREATE UNIQUE INDEX ix_interview_slot_once ON interviews (time_slot_id);
    ALTER INDEX uq_slots_candidate_recruiter_active RENAME TO slots_one_active_per_candidate;
    ALTER TABLE notification_logs RENAME CONSTRAINT uq_notif_type_booking TO notification_logs_key;
    ALTER TABLE bots RENAME CONSTRAINT bots_whatsapp_number_id_fkey TO fk_bot_number;
    ALTER TABLE conversations RENAME CONSTRAINT conversations_whatsapp_number_id_fkey TO fk_conv_number;
    ALTER TABLE whatsapp_messages RENAME CONSTRAINT whatsapp_messages_conversation_id_fkey TO fk_msg_conv;
    ALTER TABLE broadcasts RENAME CONSTRAINT broadcasts_whatsapp_number_id_fkey TO fk_bc_number;
    ALTER TABLE broadcast_recipients RENAME CONSTRAINT broadcast_recipients_broadcast_id_fkey TO fk_rcpt_bc;`);
}

describe('fix migrations on a legacy database named and cased differently', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('fix_names');
    await legacySchema(t);
    await legacyData(t);
    await renameLegacyKeys(t);
  });
  afterAll(async () => t?.drop());

  it('migrate up succeeds and every defect is gone', async () => {
    const r = await runCli(['--db', t.url, 'migrate', 'up']);
    expect(r.code, r.stderr).toBe(0);
    const cat = (await catalog(t)).join('\n');
    expect(cat).not.toMatch(/ix_interview_slot_once|slots_one_active_per_candidate|notification_logs_key|fk_bot_number|fk_rcpt_bc/);
    expect(cat).toMatch(/interviews_time_slot_active_uidx .*WHERE \(lower\(\(status\)::text\) = ANY/);

    // seed 000: a cancelled slot (interview 3 on slot 3 is CANCELLED) can be booked again, history kept
    await t.db.raw("INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (3, 42, 'pending')");
    await expect(t.db.raw("INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (3, 43, 'CONFIRMED')")).rejects.toMatchObject({ code: '23505' });
    // seed 002: a candidate confirmed with recruiter 2 (slot 3: CONFIRMED_BY_CANDIDATE) cannot take another of its slots
    const [confirmed] = (await t.db.raw("SELECT candidate_tg_id, recruiter_id FROM slots WHERE status = 'CONFIRMED_BY_CANDIDATE' LIMIT 1")).rows;
    await expect(
      t.db.raw("UPDATE slots SET status = 'booked', candidate_tg_id = ? WHERE id = (SELECT id FROM slots WHERE status = 'FREE' AND recruiter_id = ? LIMIT 1)", [
        confirmed.candidate_tg_id,
        confirmed.recruiter_id,
      ]),
    ).rejects.toMatchObject({ code: '23505' });
    // seed 002: logs now carry the candidate, filled from the slot
    const { rows: logs } = await t.db.raw('SELECT count(*)::int AS n, count(l.candidate_tg_id)::int AS filled, bool_and(l.candidate_tg_id = s.candidate_tg_id) AS same FROM notification_logs l JOIN slots s ON s.id = l.booking_id');
    expect(logs[0]).toEqual({ n: 12, filled: 12, same: true });
    // seed 003: a number in use can be deleted, and takes its tree with it
    await t.db.raw("DELETE FROM whatsapp_numbers WHERE phone_number = '+10000000001'");
    const { rows: left } = await t.db.raw(
      'SELECT (SELECT count(*) FROM bots)::int AS bots, (SELECT count(*) FROM conversations)::int AS conv, (SELECT count(*) FROM whatsapp_messages)::int AS msgs, (SELECT count(*) FROM broadcast_recipients)::int AS rcpt',
    );
    expect(left[0]).toEqual({ bots: 1, conv: 1, msgs: 1, rcpt: 0 });
    // seed 004: an ACTIVE booking gets its room from the trigger
    await t.db.raw(`INSERT INTO bookings (lesson_id, student_id, status)
      SELECT l.id, (SELECT id FROM users WHERE email = 'u2@x'), 'ACTIVE' FROM lessons l LIMIT 1`);
    const { rows: rooms } = await t.db.raw(
      "SELECT count(*)::int AS n FROM chat_rooms WHERE student_id = (SELECT id FROM users WHERE email = 'u2@x')",
    );
    expect(rooms[0].n).toBe(1);
  });

  it('down --dry-run prints the exact down SQL, rendered against the catalog, and changes nothing', async () => {
    const before = await catalog(t);
    const r = await runCli(['--db', t.url, '--dry-run', 'migrate', 'down', '--to', '0004']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-- bookops migrate down --dry-run for \w+@[^\n]+\n-- 4 migration\(s\) to revert, newest first\. Nothing has been changed\./);
    expect(r.stdout).not.toMatch(/:"|:'/);
    expect(r.stdout).toContain('DROP TRIGGER IF EXISTS "booking_create_chat_update" ON bookings;');
    // 0005's keys are found in the catalog and named: the cascading key of bots goes back to a blocking one.
    expect(r.stdout).toMatch(/ALTER TABLE "public"\."bots"\s+DROP CONSTRAINT "bots_whatsapp_number_id_cascade_fkey",\s+ADD CONSTRAINT "bots_whatsapp_number_id_fkey"/);
    expect(r.stdout.indexOf('-- revert 0008')).toBeLessThan(r.stdout.indexOf('-- revert 0007'));
    expect(r.stdout.indexOf('-- revert 0007')).toBeLessThan(r.stdout.indexOf('-- revert 0006'));
    expect(await catalog(t)).toEqual(before);
  });

  it('down refuses before reverting anything while rows would break a key it restores; resolved, it reverts all', async () => {
    // The history the fix allows: slot 3 holds a cancelled and an active interview (first test).
    // And a log of the slot's previous candidate next to the current one's.
    const [slot] = (await t.db.raw('SELECT booking_id FROM notification_logs ORDER BY id LIMIT 1')).rows;
    await t.db.raw(`INSERT INTO notification_logs (booking_id, type, candidate_tg_id, payload) VALUES (?, 'slot_approved', 999, '{"candidate_tg_id": 999}')`, [slot.booking_id]);
    const before = await catalog(t);

    const dry = await runCli(['--db', t.url, '--dry-run', 'migrate', 'down', '--to', '0001']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/-- DOWN-PREFLIGHT: 1 row\(s\): time slots with more than one interview row.*migrate down will refuse/);
    expect(dry.stderr).toContain('0004_notification_logs_by_candidate.sql: down-preflight finds 1 row(s); migrate down will refuse');

    const r = await runCli(['--db', t.url, '--json', '--yes', 'migrate', 'down', '--to', '0001']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('0004_notification_logs_by_candidate.sql: down-preflight found 1 row(s)');
    expect(r.stderr).toContain(`booking_id=${slot.booking_id} type=slot_approved logs=2`);
    expect(r.stderr).toMatch(/Also 0002_interviews_active_slot_unique\.sql: 1 row\(s\), .*\. Nothing was changed/);
    expect(JSON.parse(r.stdout).error.preflights.map((p: { migration: string }) => p.migration)).toEqual([
      '0004_notification_logs_by_candidate.sql',
      '0002_interviews_active_slot_unique.sql',
    ]);
    expect(await catalog(t)).toEqual(before);
    expect(JSON.parse((await runCli(['--db', t.url, 'migrate', 'status', '--json'])).stdout).pending).toBe(0);

    await t.db.raw("DELETE FROM interviews WHERE time_slot_id = 3 AND lower(status) = 'cancelled'");
    await t.db.raw('DELETE FROM notification_logs WHERE candidate_tg_id = 999');
    const done = await runCli(['--db', t.url, '--yes', 'migrate', 'down', '--to', '0001']);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse((await runCli(['--db', t.url, 'migrate', 'status', '--json'])).stdout).pending).toBe(7);
  });
});

describe('0005 on a site with tables of its own and keys with options', () => {
  let t: TestDatabase;
  const keyDef = async (table: string) =>
    (await t.db.raw("SELECT pg_get_constraintdef(oid) AS d FROM pg_constraint WHERE conrelid = ?::regclass AND contype = 'f'", [table])).rows[0].d as string;
  beforeAll(async () => {
    t = await createTestDatabase('fix_site');
    await legacySchema(t);
    await legacyData(t);
    await t.db.raw(`
      ALTER TABLE bots DROP CONSTRAINT bots_whatsapp_number_id_fkey,
        ADD CONSTRAINT fk_bot_number FOREIGN KEY (whatsapp_number_id) REFERENCES whatsapp_numbers (id)
          ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
      CREATE TABLE number_invoices (id serial PRIMARY KEY, number_id int NOT NULL REFERENCES whatsapp_numbers (id) ON UPDATE CASCADE);
      INSERT INTO number_invoices (number_id) VALUES (2);`);
  });
  afterAll(async () => t?.drop());

  it('cascades only inside the module, keeps each key\'s ON UPDATE and DEFERRABLE, and down puts them back', async () => {
    const siteKey = await keyDef('number_invoices');
    const up = await runCli(['--db', t.url, 'migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    expect(await keyDef('number_invoices')).toBe(siteKey);
    const bots = await keyDef('bots');
    expect(bots).toMatch(/ON DELETE CASCADE/);
    expect(bots).toMatch(/ON UPDATE CASCADE/);
    expect(bots).toMatch(/DEFERRABLE INITIALLY DEFERRED$/);
    const audit = JSON.parse((await runCli(['--db', t.url, '--json', 'audit', 'whatsapp.blocking-fks'])).stdout);
    expect(audit.checks[0]).toMatchObject({ id: 'whatsapp.blocking-fks', count: 0 });

    // A number no site row references goes with its tree; one that is referenced stays, whole.
    const free = await runCli(['--db', t.url, '--yes', 'whatsapp', 'delete', '+10000000001']);
    expect(free.code, free.stderr).toBe(0);
    const held = await runCli(['--db', t.url, '--yes', 'whatsapp', 'delete', '+10000000002']);
    expect(held.code, held.stderr).toBe(6);
    expect(held.stderr).toMatch(/number_invoices/);
    const { rows } = await t.db.raw("SELECT (SELECT count(*) FROM whatsapp_numbers WHERE id = 2)::int AS numbers, (SELECT count(*) FROM bots WHERE whatsapp_number_id = 2)::int AS bots, (SELECT count(*) FROM number_invoices)::int AS invoices");
    expect(rows[0]).toEqual({ numbers: 1, bots: 1, invoices: 1 });

    const down = await runCli(['--db', t.url, '--yes', 'migrate', 'down', '--to', '0004']);
    expect(down.code, down.stderr).toBe(0);
    expect(await keyDef('bots')).toBe('FOREIGN KEY (whatsapp_number_id) REFERENCES whatsapp_numbers(id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED');
    expect(await keyDef('number_invoices')).toBe(siteKey);
  });
});

describe('fix migrations refuse while rows would violate them', () => {
  let t: TestDatabase;
  afterAll(async () => t?.drop());

  it('names the duplicates and stale logs, and changes nothing', async () => {
    t = await createTestDatabase('fix_refuse');
    await legacySchema(t);
    await legacyData(t);
    // a confirmed candidate holding a second (booked) slot of the same recruiter: allowed by the legacy index
    const [c] = (await t.db.raw("SELECT id, candidate_tg_id, recruiter_id FROM slots WHERE status = 'CONFIRMED_BY_CANDIDATE' LIMIT 1")).rows;
    const [free] = (await t.db.raw("SELECT id FROM slots WHERE status = 'FREE' AND recruiter_id = ? LIMIT 1", [c.recruiter_id])).rows;
    await t.db.raw("UPDATE slots SET status = 'booked', candidate_tg_id = ? WHERE id = ?", [c.candidate_tg_id, free.id]);
    const before = await catalog(t);
    const r = await runCli(['--db', t.url, '--json', 'migrate', 'up']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('0003_slots_active_candidate_unique.sql: preflight found 1 row(s)');
    expect(r.stderr).toContain(`candidate_tg_id=${c.candidate_tg_id} recruiter_id=${c.recruiter_id} active_slots=2`);
    expect(r.stderr).toContain(`${invokedOn(t.url)} slots resolve-duplicates`);
    expect(JSON.parse(r.stdout).error.preflight.sample[0].slot_ids.sort()).toEqual([c.id, free.id].sort());
    expect(await catalog(t)).toEqual(before);
    // The plan a CI job gates on: printed as always, exit 4 with --check, for the same preflight.
    const plan = await runCli(['--db', t.url, 'migrate', 'plan']);
    expect(plan.code).toBe(0);
    const check = await runCli(['--db', t.url, 'migrate', 'plan', '--check']);
    expect(check.code).toBe(4);
    expect(check.stdout).toBe(plan.stdout);
    expect(check.stderr).toMatch(/warning: migrate up will refuse: 0003_slots_active_candidate_unique\.sql: preflight finds 1 row\(s\): candidates holding more than one active slot of one recruiter \(resolve with: node bin\/bookops\.js --db (?:'[^']*'|\S+) slots resolve-duplicates\)/);
    const checkJson = JSON.parse((await runCli(['--db', t.url, '--json', 'migrate', 'plan', '--check'])).stdout);
    expect(checkJson.wouldRefuse.map((w: { reason: string; migration: string }) => [w.reason, w.migration])).toEqual([['preflight', '0003_slots_active_candidate_unique.sql']]);
    expect(await catalog(t)).toEqual(before);
    const status = JSON.parse((await runCli(['--db', t.url, 'migrate', 'status', '--json'])).stdout);
    expect(status.pending).toBe(7);

    // resolve it; then a stale log of a freed slot stops 0004, still before any change
    await t.db.raw("UPDATE slots SET status = 'free', candidate_tg_id = NULL WHERE id = ?", [free.id]);
    await t.db.raw("INSERT INTO notification_logs (booking_id, type, payload) VALUES (?, 'slot_approved', '{\"candidate_tg_id\": 777}')", [free.id]);
    const stale = await runCli(['--db', t.url, 'migrate', 'up']);
    expect(stale.code).toBe(4);
    expect(stale.stderr).toContain('0004_notification_logs_by_candidate.sql: preflight found 1 row(s)');
    expect(stale.stderr).toContain('log_candidate_tg_id=777');
    expect(await catalog(t)).toEqual(before);
  });
  it('0004 refuses a log naming no candidate on a held slot, instead of giving it to the slot\'s candidate', async () => {
    const unnamed = await createTestDatabase('fix_refuse_unnamed');
    try {
      await legacySchema(unnamed);
      await legacyData(unnamed);
      const [held] = (await unnamed.db.raw("SELECT id FROM slots WHERE candidate_tg_id IS NOT NULL ORDER BY id LIMIT 1")).rows;
      await unnamed.db.raw("INSERT INTO notification_logs (booking_id, type, payload) VALUES (?, 'reminder_sent', NULL)", [held.id]);
      const before = await catalog(unnamed);
      const r = await runCli(['--db', unnamed.url, 'migrate', 'up']);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('0004_notification_logs_by_candidate.sql: preflight found 1 row(s)');
      expect(r.stderr).toContain(`slot_id=${held.id}`);
      expect(await catalog(unnamed)).toEqual(before);
      const audit = JSON.parse((await runCli(['--db', unnamed.url, '--json', 'audit', 'notifications.stale-logs'])).stdout);
      expect(audit.checks[0].sample.map((s: { slot_id: number; reason: string }) => [s.slot_id, s.reason])).toEqual([[held.id, 'no candidate named']]);
    } finally {
      await unnamed.drop();
    }
  });

  it('one refusal names every migration whose preflight finds rows, not only the first', async () => {
    const both = await createTestDatabase('fix_refuse_both');
    try {
      await legacySchema(both);
      await legacyData(both);
      const [c] = (await both.db.raw("SELECT id, candidate_tg_id, recruiter_id FROM slots WHERE status = 'CONFIRMED_BY_CANDIDATE' LIMIT 1")).rows;
      const [free] = (await both.db.raw("SELECT id FROM slots WHERE status = 'FREE' AND recruiter_id = ? LIMIT 1", [c.recruiter_id])).rows;
      await both.db.raw("UPDATE slots SET status = 'booked', candidate_tg_id = ? WHERE id = ?", [c.candidate_tg_id, free.id]);
      const [other] = (await both.db.raw("SELECT id FROM slots WHERE status = 'FREE' AND id <> ? LIMIT 1", [free.id])).rows;
      await both.db.raw("INSERT INTO notification_logs (booking_id, type, payload) VALUES (?, 'slot_approved', '{\"candidate_tg_id\": 777}')", [other.id]);
      const before = await catalog(both);
      const r = await runCli(['--db', both.url, '--json', 'migrate', 'up']);
      expect(r.code).toBe(4);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain('0003_slots_active_candidate_unique.sql: preflight found 1 row(s)');
      expect(r.stderr).toMatch(/Also 0004_notification_logs_by_candidate\.sql: 1 row\(s\), .*\. Nothing was changed/);
      expect(JSON.parse(r.stdout).error.preflights.map((p: { migration: string }) => p.migration)).toEqual([
        '0003_slots_active_candidate_unique.sql',
        '0004_notification_logs_by_candidate.sql',
      ]);
      expect(await catalog(both)).toEqual(before);
    } finally {
      await both.drop();
    }
  });
});

describe('the plan passes Squawk', () => {
  const databases = databasesForThisFile();

  it('bookops migrate plan on a legacy database lints clean', async () => {
    const t = await databases('squawk');
    await legacySchema(t);
    const plan = await lintPlan(t);
    expect(plan).toContain('CREATE UNIQUE INDEX CONCURRENTLY');
    expect(plan).not.toContain('squawk-ignore-file');
  });

  it('on an empty database too: the baseline waives only the column-type rules', async () => {
    const plan = await lintPlan(await databases('squawk_empty'));
    expect(plan).toContain('CREATE TABLE time_slots');
    expect(plan).toMatch(/^-- squawk-ignore-file prefer-bigint-over-int, prefer-identity, prefer-text-field, prefer-timestamp-tz$/m);
  });

  it('after a run stopped in 0005 (a cascading key left NOT VALID), the VALIDATE it still needs lints clean', async () => {
    const t = await databases('squawk_validate');
    await legacySchema(t);
    await t.db.raw(`ALTER TABLE bots DROP CONSTRAINT bots_whatsapp_number_id_fkey,
      ADD CONSTRAINT bots_whatsapp_number_id_cascade_fkey FOREIGN KEY (whatsapp_number_id) REFERENCES whatsapp_numbers (id) ON DELETE CASCADE NOT VALID`);
    expect(await lintPlan(t)).toMatch(/VALIDATE CONSTRAINT "bots_whatsapp_number_id_cascade_fkey"/);
  });
});

describe('online: writers keep writing while migrate up runs', () => {
  let t: TestDatabase;
  afterAll(async () => t?.drop());

  it('no write fails and none waits past its one-second lock timeout', async () => {
    t = await createTestDatabase('online');
    await legacySchema(t);
    await t.db.raw(`
      INSERT INTO time_slots (interviewer_id, start_time, end_time)
        SELECT g % 50, now() + g * interval '1 minute', now() + g * interval '1 minute' + interval '30 min' FROM generate_series(1, 200000) g;
      INSERT INTO interviews (time_slot_id, bot_user_id, status) SELECT g, g, 'pending' FROM generate_series(1, 150000) g;
      INSERT INTO recruiters (name) SELECT 'r' || g FROM generate_series(1, 100) g;
      INSERT INTO slots (recruiter_id, start_utc, status, candidate_tg_id)
        SELECT 1 + g % 100, now() + g * interval '1 minute', CASE WHEN g % 2 = 0 THEN 'booked' ELSE 'free' END, CASE WHEN g % 2 = 0 THEN g END
        FROM generate_series(1, 200000) g;
      ANALYZE;`);
    let running = true;
    const failures: string[] = [];
    let writes = 0;
    let slowest = 0;
    const writer = async (i: number) => {
      const client = new pg.Client({ connectionString: t.url, lock_timeout: 1000, statement_timeout: 5000 });
      await client.connect();
      let n = 0;
      try {
        while (running) {
          n++;
          const started = performance.now();
          try {
            if (i % 2 === 0) {
              await client.query(
                `WITH s AS (INSERT INTO time_slots (interviewer_id, start_time, end_time) VALUES ($1, now(), now()) RETURNING id)
                 INSERT INTO interviews (time_slot_id, bot_user_id, status) SELECT id, $2, 'pending' FROM s`,
                [i, i * 1_000_000 + n],
              );
              await client.query("UPDATE interviews SET status = 'confirmed' WHERE id = $1", [1 + ((i * 7919 + n) % 150000)]);
            } else {
              await client.query("UPDATE slots SET status = 'booked', candidate_tg_id = $1 WHERE id = $2 AND status = 'free'", [
                10_000_000 + i * 1_000_000 + n,
                1 + 2 * ((i * 104729 + n) % 100000),
              ]);
              await client.query('INSERT INTO slots (recruiter_id, start_utc) VALUES ($1, now())', [1 + (n % 100)]);
            }
            writes++;
          } catch (err) {
            failures.push(`writer ${i}: ${(err as Error).message}`);
          }
          slowest = Math.max(slowest, performance.now() - started);
        }
      } finally {
        await client.end();
      }
    };
    const writers = Array.from({ length: 6 }, (_, i) => writer(i));
    await new Promise((r) => setTimeout(r, 300));
    const run = await runCli(['--db', t.url, 'migrate', 'up']);
    running = false;
    await Promise.all(writers);
    expect(run.code, run.stderr).toBe(0);
    expect(failures).toEqual([]);
    expect(writes).toBeGreaterThan(50);
    process.stderr.write(`online migration: ${writes} writes, slowest ${Math.round(slowest)} ms\n`);
  });
});

describe('a concurrent index build that times out waiting for an older transaction', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('fix_cic_timeout');
    await legacySchema(t);
    await legacyData(t);
  });
  afterAll(async () => t?.drop());

  /** A session whose open snapshot CREATE INDEX CONCURRENTLY must wait for, as a long report query would be. */
  async function olderTransaction(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
    await client.query('SELECT count(*) FROM recruiters');
    return client;
  }

  async function invalidIndexes(): Promise<string[]> {
    const { rows } = await t.db.raw('SELECT indexrelid::regclass::text AS name FROM pg_index WHERE NOT indisvalid ORDER BY 1');
    return rows.map((r: { name: string }) => r.name);
  }

  it('is never taken as built: retries run out, the old key stays, and the next run rebuilds the leftover', async () => {
    const before = await catalog(t);
    const blocker = await olderTransaction();
    let failed;
    try {
      failed = await runCli(['--db', t.url, '--lock-timeout', '200ms', 'migrate', 'up', '--to', '0002', '--retries', '2']);
    } finally {
      await blocker.end();
    }
    expect(failed.code, failed.stderr).toBe(6);
    expect(failed.stderr).toContain('lock_timeout: retrying');
    expect(failed.stderr).toContain('index interviews_time_slot_active_uidx is INVALID (an interrupted build): dropped and rebuilt');
    // Not recorded, the old key in place; at most the INVALID leftover of the last attempt.
    const status = JSON.parse((await runCli(['--db', t.url, '--json', 'migrate', 'status'])).stdout);
    expect(status.migrations.find((m: { name: string }) => m.name === '0002_interviews_active_slot_unique.sql').state).toBe('pending');
    expect((await catalog(t)).filter((d) => !d.includes('valid=false'))).toEqual(before);

    const again = await runCli(['--db', t.url, 'migrate', 'up', '--to', '0002']);
    expect(again.code, again.stderr).toBe(0);
    expect(await invalidIndexes()).toEqual([]);
    expect(await catalog(t)).toContain(
      'index interviews_time_slot_active_uidx CREATE UNIQUE INDEX interviews_time_slot_active_uidx ON public.interviews USING btree (time_slot_id) WHERE (lower((status)::text) = ANY (ARRAY[\'pending\'::text, \'confirmed\'::text])) valid=true',
    );
  });

  it('an older transaction that ends while the build retries: the index is built valid, then the old key goes', async () => {
    const blocker = await olderTransaction();
    // It ends once the build has timed out on it and is retrying (a timer raced a slow start).
    let ended: Promise<void> | undefined;
    const r = await runCli(['--db', t.url, '--lock-timeout', '300ms', 'migrate', 'up', '--to', '0003'], {
      onStderr: (stderr) => void (stderr.includes('lock_timeout: retrying') && (ended ??= blocker.end())),
    });
    await (ended ?? blocker.end());
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('lock_timeout: retrying');
    expect(await invalidIndexes()).toEqual([]);
    const { rows } = await t.db.raw("SELECT indisvalid FROM pg_index WHERE indexrelid = 'slots_candidate_recruiter_active_uidx'::regclass");
    expect(rows).toEqual([{ indisvalid: true }]);
  });

  it('0005: an INVALID index left by an interrupted build does not count as the key\'s index: it is rebuilt', async () => {
    // A failed concurrent build leaves an INVALID index of the name 0005 gives bots' key.
    await t.db.raw("INSERT INTO bots (whatsapp_number_id, name) VALUES (1, 'b1 again')");
    await expect(t.db.raw('CREATE UNIQUE INDEX CONCURRENTLY bots_whatsapp_number_id_idx ON bots (whatsapp_number_id)')).rejects.toThrow(/could not create unique index/);
    expect(await invalidIndexes()).toEqual(['bots_whatsapp_number_id_idx']);
    const r = await runCli(['--db', t.url, 'migrate', 'up', '--to', '0005']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('index bots_whatsapp_number_id_idx is INVALID (an interrupted build): dropped and rebuilt');
    expect(await invalidIndexes()).toEqual([]);
  });
});
