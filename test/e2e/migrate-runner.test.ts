/**
 * The migration runner end to end, through the built binary: status, plan, up/down with --to,
 * checksum drift, preflight refusal, non-transactional migrations, lock contention, lock_timeout
 * retry, and convergence after a run killed mid-way.
 */
import { spawn } from 'node:child_process';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK } from '../../src/data/advisory-lock.js';
import { BIN, cleanEnv, invokedOn, runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { migrationDir, rewrite, waitFor } from '../fixtures/migrations.js';
import { legacySchema } from '../fixtures/schema.js';

const THINGS = `-- things: a table
-- migrate:up
CREATE TABLE things (id serial PRIMARY KEY, code text NOT NULL, kind text);
INSERT INTO things (code, kind) SELECT 'c' || g, 'k' || (g % 3) FROM generate_series(1, 50) g;
-- migrate:down
DROP TABLE things;
`;

const THINGS_INDEX = `-- unique codes, built without blocking writers
-- migrate:preflight duplicate codes
SELECT code, count(*) AS copies FROM things GROUP BY code HAVING count(*) > 1;
-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_code_uidx ON things (code);
-- migrate:down
DROP INDEX CONCURRENTLY IF EXISTS things_code_uidx;
`;

async function tables(t: TestDatabase): Promise<string[]> {
  const { rows } = await t.db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
  return rows.map((r: { tablename: string }) => r.tablename);
}

describe('migrate: status, plan, up, down', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('runner');
    dir = migrationDir({ '0001_things.sql': THINGS, '0002_things_index.sql': THINGS_INDEX });
  });
  afterAll(async () => t?.drop());
  const cli = (...args: string[]) => runCli(['--db', t.url, ...args, '--migrations-dir', dir]);

  it('plan on an empty database prints the SQL and leaves the database empty', async () => {
    const r = await cli('migrate', 'plan');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('CREATE TABLE things');
    expect(r.stdout).toContain('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS things_code_uidx');
    expect(r.stdout).toMatch(/SET lock_timeout = '1000ms';/);
    expect(await tables(t)).toEqual([]);
    const check = await cli('--json', 'migrate', 'plan', '--check');
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).wouldRefuse).toEqual([]);
  });

  it('status --json lists everything as pending without creating anything', async () => {
    const r = await cli('migrate', 'status', '--json');
    expect(r.code).toBe(0);
    const status = JSON.parse(r.stdout);
    expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(['pending', 'pending']);
    expect(await tables(t)).toEqual([]);
  });

  it('up --to stops at the named migration; up runs the rest outside a transaction', async () => {
    let r = await cli('migrate', 'up', '--to', '0001');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied 0001_things.sql');
    expect(r.stdout).toContain('1 migration(s) applied on ');
    expect(r.stdout).toContain('(1 later migration(s) pending)');
    expect(await tables(t)).toContain('things');
    r = await cli('migrate', 'up', '--to', '0001');
    expect(r.stdout).toMatch(/^nothing to apply on \S+ up to 0001_things\.sql: it is applied \(1 later migration\(s\) pending\)\n$/);
    r = await cli('migrate', 'up');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('applied 0002_things_index.sql');
    const { rows } = await t.db.raw("SELECT indisvalid FROM pg_index WHERE indexrelid = 'things_code_uidx'::regclass");
    expect(rows[0].indisvalid).toBe(true);
    const status = JSON.parse((await cli('migrate', 'status', '--json')).stdout);
    expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'applied']);
    expect(status.pending).toBe(0);
  });

  it('flags an applied migration whose file changed, and up refuses until --allow-changed', async () => {
    rewrite(dir, '0001_things.sql', THINGS.replace('a table', 'a table, edited'));
    const status = JSON.parse((await cli('migrate', 'status', '--json')).stdout);
    expect(status.migrations[0]).toMatchObject({ name: '0001_things.sql', state: 'changed' });
    expect(status.changed).toBe(1);
    const refused = await cli('migrate', 'up');
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/0001_things\.sql \(changed\)/);
    // The plan says so, and --check gates on it as up would: exit 4, unless --allow-changed.
    const plan = await cli('migrate', 'plan');
    expect(plan.code).toBe(0);
    expect(plan.stderr).toContain('warning: migrate up will refuse: applied migrations differ from their files: 0001_things.sql (changed)');
    const check = await cli('--json', 'migrate', 'plan', '--check');
    expect(check.code).toBe(4);
    expect(JSON.parse(check.stdout).wouldRefuse).toEqual([
      { reason: 'changed', message: 'applied migrations differ from their files: 0001_things.sql (changed) (restore them, or --allow-changed after review)' },
    ]);
    expect((await cli('migrate', 'plan', '--check', '--allow-changed')).code).toBe(0);
    expect((await cli('migrate', 'up', '--allow-changed')).code).toBe(0);
    rewrite(dir, '0001_things.sql', THINGS);
  });

  it('down reverts the newest migration; down --to keeps the named one', async () => {
    const noTty = await cli('migrate', 'down');
    expect(noTty.code).toBe(4);
    expect(noTty.stderr).toMatch(/not on a terminal/);
    const dry = await cli('migrate', 'down', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('DROP INDEX CONCURRENTLY IF EXISTS things_code_uidx');
    expect((await cli('migrate', 'down', '--yes')).code).toBe(0);
    const { rows } = await t.db.raw("SELECT to_regclass('things_code_uidx') AS idx");
    expect(rows[0].idx).toBeNull();
    expect((await cli('migrate', 'up')).code).toBe(0);
    expect((await cli('migrate', 'down', '--to', '0001', '--yes')).code).toBe(0);
    const status = JSON.parse((await cli('migrate', 'status', '--json')).stdout);
    expect(status.migrations.map((m: { state: string }) => m.state)).toEqual(['applied', 'pending']);
  });

  it('an unknown --to names the choices (exit 2)', async () => {
    const r = await cli('migrate', 'up', '--to', '0042');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('0001_things.sql');
  });
});

describe('migrate: preflight', () => {
  let t: TestDatabase;
  afterAll(async () => t?.drop());

  it('refuses before any change when a preflight returns rows, and shows them', async () => {
    t = await createTestDatabase('preflight');
    const dir = migrationDir({ '0001_things.sql': THINGS, '0002_things_index.sql': THINGS_INDEX });
    await runCli(['--db', t.url, 'migrate', 'up', '--to', '0001', '--migrations-dir', dir]);
    await t.db.raw("INSERT INTO things (code) VALUES ('c7'), ('c9')");
    const plan = await runCli(['--db', t.url, 'migrate', 'plan', '--migrations-dir', dir]);
    expect(plan.stdout).toContain('PREFLIGHT: 2 row(s): duplicate codes');
    const r = await runCli(['--db', t.url, '--json', 'migrate', 'up', '--migrations-dir', dir]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/preflight found 2 row\(s\): duplicate codes; first: code=c7 copies=2; code=c9 copies=2/);
    const doc = JSON.parse(r.stdout);
    expect(doc.error.preflight.sample).toEqual([
      { code: 'c7', copies: 2 },
      { code: 'c9', copies: 2 },
    ]);
    const { rows } = await t.db.raw("SELECT to_regclass('things_code_uidx') AS idx, (SELECT count(*)::int FROM bookops_migrations) AS applied");
    expect(rows[0]).toEqual({ idx: null, applied: 1 });
  });
});

describe('migrate: concurrency and crashes', () => {
  let t: TestDatabase;
  beforeEach(async () => {
    t = await createTestDatabase('runner_lock');
  });
  afterEach(async () => t?.drop());

  it('a second run waits for the lock, then refuses with exit 4 naming the holder', async () => {
    const dir = migrationDir({ '0001_things.sql': THINGS });
    const holder = new pg.Client({ connectionString: t.url, application_name: 'other-runner' });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [MIGRATION_LOCK.key1, MIGRATION_LOCK.key2]);
      const { rows } = await holder.query('SELECT pg_backend_pid() AS pid');
      const r = await runCli(['--db', t.url, 'migrate', 'up', '--lock-wait', '1500ms', '--migrations-dir', dir]);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('waiting up to');
      expect(r.stderr).toContain(`pid ${rows[0].pid} (other-runner`);
      expect(await tables(t)).toEqual([]);
    } finally {
      await holder.end();
    }
  });

  it('retries a statement that hits lock_timeout, and succeeds once the lock is gone', async () => {
    const dir = migrationDir({
      '0001_things.sql': THINGS,
      '0002_kind.sql': '-- migrate:up transaction:false\nALTER TABLE things ADD COLUMN IF NOT EXISTS note text;\n',
    });
    await runCli(['--db', t.url, 'migrate', 'up', '--to', '0001', '--migrations-dir', dir]);
    const blocker = new pg.Client({ connectionString: t.url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE things IN ACCESS SHARE MODE');
    // The lock goes once the ALTER has timed out on it and is being retried (not after a fixed time).
    let retrying!: () => void;
    const retried = new Promise<void>((resolve) => (retrying = resolve));
    const run = runCli(['--db', t.url, '--lock-timeout', '200ms', '--verbose', 'migrate', 'up', '--migrations-dir', dir], {
      onStderr: (stderr) => void (stderr.includes('(attempt 2 of 8)') && retrying()),
    });
    await Promise.race([retried, run]); // a run that ends without retrying fails below, not by timeout
    await blocker.query('COMMIT');
    await blocker.end();
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/lock_timeout: retrying in \d+ms \(attempt 2 of 8\)/);
    const { rows } = await t.db.raw("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'things' AND column_name = 'note'");
    expect(rows[0].n).toBe(1);
  });

  it('a run killed mid-way converges when run again', async () => {
    const dir = migrationDir({
      '0001_things.sql': THINGS.replace('-- migrate:down', 'CREATE TABLE pause (seconds int);\nINSERT INTO pause VALUES (30);\n-- migrate:down'),
      '0002_slow.sql': [
        '-- migrate:up transaction:false',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS things_kind_idx ON things (kind);',
        'SELECT pg_sleep((SELECT seconds FROM pause));',
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS things_code_idx ON things (code);',
      ].join('\n'),
    });
    const sleeping = async () => {
      const { rows } = await t.db.raw("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(%' AND state = 'active'");
      return rows[0].n > 0;
    };
    await runCli(['--db', t.url, 'migrate', 'up', '--to', '0001', '--migrations-dir', dir]);
    const child = spawn(process.execPath, [BIN, '--db', t.url, 'migrate', 'up', '--migrations-dir', dir], { env: cleanEnv(), stdio: 'ignore' });
    await waitFor(sleeping, 20_000, 'the run to reach its second statement');
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('close', resolve));
    // client_connection_check_interval: the server notices the dead client and cancels its
    // statement by itself (it would otherwise sleep its 30 s, or build an index, on its own).
    await waitFor(async () => !(await sleeping()), 15_000, "the server to cancel the killed run's statement");
    await t.db.raw('UPDATE pause SET seconds = 0');

    const again = await runCli(['--db', t.url, 'migrate', 'up', '--migrations-dir', dir]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('things_kind_idx already exists and is valid: skipped');
    const { rows } = await t.db.raw(
      "SELECT count(*) FILTER (WHERE indisvalid)::int AS valid, count(*)::int AS total FROM pg_index WHERE indexrelid::regclass::text IN ('things_kind_idx', 'things_code_idx')",
    );
    expect(rows[0]).toEqual({ valid: 2, total: 2 });
    const lock = await t.db('bookops_migrations_lock').first();
    expect(lock.is_locked).toBe(0);
    const status = JSON.parse((await runCli(['--db', t.url, 'migrate', 'status', '--json', '--migrations-dir', dir])).stdout);
    expect(status.pending).toBe(0);
  });

  it('an INVALID index left by a failed build is dropped and rebuilt', async () => {
    const dir = migrationDir({ '0001_things.sql': THINGS, '0002_things_index.sql': THINGS_INDEX.replace(/-- migrate:preflight[\s\S]*?-- migrate:up/, '-- migrate:up') });
    const db = t;
    {
      await runCli(['--db', db.url, 'migrate', 'up', '--to', '0001', '--migrations-dir', dir]);
      await db.db.raw("INSERT INTO things (code) VALUES ('c1')");
      const failed = await runCli(['--db', db.url, 'migrate', 'up', '--migrations-dir', dir]);
      expect(failed.code).toBe(6);
      const before = await db.db.raw("SELECT indisvalid FROM pg_index WHERE indexrelid = 'things_code_uidx'::regclass");
      expect(before.rows[0].indisvalid).toBe(false);
      await db.db.raw("DELETE FROM things WHERE code = 'c1' AND id > 50");
      const plan = await runCli(['--db', db.url, 'migrate', 'plan', '--migrations-dir', dir]);
      expect(plan.stdout).toContain('DROP INDEX CONCURRENTLY IF EXISTS "things_code_uidx";');
      const fixed = await runCli(['--db', db.url, 'migrate', 'up', '--migrations-dir', dir]);
      expect(fixed.code).toBe(0);
      expect(fixed.stderr).toContain('things_code_uidx is INVALID (an interrupted build): dropped and rebuilt');
      const after = await db.db.raw("SELECT indisvalid FROM pg_index WHERE indexrelid = 'things_code_uidx'::regclass");
      expect(after.rows[0].indisvalid).toBe(true);
    }
  });
});

describe('migrate baseline on a production database bookops has never migrated', () => {
  let prod: TestDatabase;
  let empty: TestDatabase;
  beforeAll(async () => {
    [prod, empty] = await Promise.all([createTestDatabase('baseline_prod'), createTestDatabase('baseline_empty')]);
    // Production as it is: the platform tables, created by the application, no bookops table.
    await legacySchema(prod);
    await prod.db.raw('DROP TABLE bookops_migrations, bookops_migrations_lock, bookops_migration_checksums, bookops_migration_objects');
  });
  afterAll(async () => Promise.all([prod, empty].map((d) => d?.drop())));

  const bookopsTables = async (d: TestDatabase) =>
    (await d.db.raw("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'bookops%' ORDER BY 1")).rows.map((r: { tablename: string }) => r.tablename);

  it('before it: up refuses and leaves nothing, status and plan say to baseline, baseline --dry-run records nothing', async () => {
    const up = await runCli(['--db', prod.url, '--yes', 'migrate', 'up']);
    expect(up.code).toBe(4);
    expect(up.stderr.trim()).toMatch(
      /^bookops: the platform tables already exist here \(time_slots, interviews, recruiters, slots, … \(\d+ tables\)\) but no baseline is recorded; nothing was changed \(run node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate baseline to record the schema as it is, then node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate up\)$/,
    );
    expect(await bookopsTables(prod)).toEqual([]);

    const status = await runCli(['--db', prod.url, '--json', 'migrate', 'status']);
    expect(JSON.parse(status.stdout).baselineNeeded).toContain('interviews');
    expect((await runCli(['--db', prod.url, 'migrate', 'status'])).stderr).toContain(`no baseline is recorded: migrate up refuses; run ${invokedOn(prod.url)} migrate baseline`);

    const audit = JSON.parse((await runCli(['--db', prod.url, '--json', 'audit', 'schema.pending-migrations'])).stdout);
    expect(audit.checks[0].repair).toMatch(/^run node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate baseline to record the schema as it is/);

    const plan = await runCli(['--db', prod.url, 'migrate', 'plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('-- The platform tables already exist here but no baseline is recorded');
    const check = await runCli(['--db', prod.url, 'migrate', 'plan', '--check']);
    expect(check.code).toBe(4);
    expect(check.stderr).toContain(`warning: migrate up will refuse: the platform tables exist but no baseline is recorded; run ${invokedOn(prod.url)} migrate baseline`);
    expect(plan.stdout).not.toContain('CREATE TABLE');
    expect(plan.stdout).toContain('-- 0002_interviews_active_slot_unique.sql');

    const dry = await runCli(['--db', prod.url, '--dry-run', 'migrate', 'baseline']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toMatch(/^would record 0001_legacy_baseline\.sql as applied on .*; --dry-run changed nothing\n$/);
    expect(await bookopsTables(prod)).toEqual([]);
  });

  it('records the baseline as applied without running it; the fix migrations are then pending', async () => {
    const r = await runCli(['--db', prod.url, 'migrate', 'baseline']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/recorded 0001_legacy_baseline\.sql as applied on .* \(modules present: interviews, recruiting, whatsapp, lessons\)/);
    const status = JSON.parse((await runCli(['--db', prod.url, '--json', 'migrate', 'status'])).stdout);
    expect(status.migrations[0]).toMatchObject({ name: '0001_legacy_baseline.sql', state: 'applied' });
    expect(status.pending).toBe(status.migrations.length - 1);
    const again = await runCli(['--db', prod.url, 'migrate', 'baseline']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('0001_legacy_baseline.sql is already recorded as applied');
  });

  it('records it where a module is there only in part, the same test migrate up refuses by', async () => {
    const partial = await createTestDatabase('baseline_partial');
    try {
      await partial.db.raw('CREATE TABLE recruiters (id serial PRIMARY KEY, name text); CREATE TABLE slots (id serial PRIMARY KEY)');
      const up = await runCli(['--db', partial.url, 'migrate', 'up']);
      expect(up.code).toBe(4);
      expect(up.stderr).toContain(`run ${invokedOn(partial.url)} migrate baseline`);
      const baseline = await runCli(['--db', partial.url, 'migrate', 'baseline']);
      expect(baseline.code, baseline.stderr).toBe(0);
      expect(baseline.stdout).toContain('(modules present: none complete)');
    } finally {
      await partial.drop();
    }
  });

  it('refuses a database without the platform tables, and leaves nothing behind', async () => {
    const r = await runCli(['--db', empty.url, 'migrate', 'baseline']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(`bookops: none of the platform tables exist here; nothing to baseline (use ${invokedOn(empty.url)} migrate up to create the schema)`);
    expect(await bookopsTables(empty)).toEqual([]);
  });
});

const WHATSAPP = ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'];

/** A legacy database of a site without the WhatsApp bot (yet): its tables out of sight, in schema `later`. */
async function legacyWithoutWhatsapp(label: string): Promise<TestDatabase> {
  const t = await createTestDatabase(label);
  await legacySchema(t);
  await t.db.raw(`CREATE SCHEMA later; ${WHATSAPP.map((n) => `ALTER TABLE ${n} SET SCHEMA later;`).join(' ')}`);
  return t;
}

/** The WhatsApp bot arrives: its tables, with their blocking keys, come back. */
async function whatsappArrives(t: TestDatabase): Promise<void> {
  await t.db.raw(WHATSAPP.map((n) => `ALTER TABLE later.${n} SET SCHEMA public;`).join(' '));
}

describe('a migration skipped because its module was absent', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await legacyWithoutWhatsapp('skipped_module');
  });
  afterAll(async () => t?.drop());
  const status = async () => JSON.parse((await runCli(['--db', t.url, '--json', 'migrate', 'status'])).stdout);
  const state = (s: { migrations: Array<{ name: string; state: string; note?: string }> }, prefix: string) => s.migrations.find((m) => m.name.startsWith(prefix));

  it('is shown as skipped, then applied by up once its tables exist', async () => {
    const first = await runCli(['--db', t.url, 'migrate', 'up']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('skipped 0005_whatsapp_cascade_deletes.sql: no table whatsapp_numbers (recorded; up applies it once the tables exist)');
    expect(first.stdout).toContain('6 migration(s) applied, 1 skipped on ');
    expect((await status()).skipped).toBe(1);
    expect((await runCli(['--db', t.url, 'migrate', 'status'])).stdout).toContain('7 applied, 1 skipped, 0 pending');
    expect(state(await status(), '0005')).toMatchObject({ state: 'skipped', note: 'recorded without running: no table whatsapp_numbers' });
    expect((await runCli(['--db', t.url, 'migrate', 'status'])).stdout).toContain('0005_whatsapp_cascade_deletes.sql: recorded without running: no table whatsapp_numbers');

    await whatsappArrives(t);
    const audit = JSON.parse((await runCli(['--db', t.url, '--json', 'audit', 'whatsapp.blocking-fks', 'schema.pending-migrations'])).stdout);
    expect(audit.checks.find((c: { id: string }) => c.id === 'whatsapp.blocking-fks').count).toBeGreaterThan(0);
    expect(audit.checks.find((c: { id: string }) => c.id === 'schema.pending-migrations')).toMatchObject({ count: 1, sample: [{ migration: '0005_whatsapp_cascade_deletes.sql' }] });
    const pending = await status();
    expect(pending.pending).toBe(1);
    expect(state(pending, '0005')).toMatchObject({ state: 'pending', note: 'skipped earlier (no table whatsapp_numbers); the tables exist now' });
    expect((await runCli(['--db', t.url, 'migrate', 'plan'])).stdout).toMatch(/-- 0005_whatsapp_cascade_deletes\.sql[\s\S]*ON DELETE CASCADE NOT VALID;/);

    // --to before it leaves it for later.
    const upTo = await runCli(['--db', t.url, 'migrate', 'up', '--to', '0004']);
    expect(upTo.code, upTo.stderr).toBe(0);
    expect(upTo.stderr).not.toContain('skipped earlier');
    expect(state(await status(), '0005')).toMatchObject({ state: 'pending' });

    const up = await runCli(['--db', t.url, 'migrate', 'up']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toContain('0005_whatsapp_cascade_deletes.sql: skipped earlier for want of tables that exist now; applying');
    expect(up.stdout).toContain('applied 0005_whatsapp_cascade_deletes.sql');
    expect(state(await status(), '0005')).toMatchObject({ state: 'applied' });
    const after = JSON.parse((await runCli(['--db', t.url, '--json', 'audit', 'whatsapp.blocking-fks'])).stdout);
    expect(after.checks[0].count).toBe(0);
  });
});

describe('down of a migration that was recorded without running', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await legacyWithoutWhatsapp('skipped_down');
  });
  afterAll(async () => t?.drop());
  const whatsappKeys = async () =>
    (await t.db.raw(`SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS k FROM pg_constraint
      WHERE conrelid::regclass::text = ANY(:names) ORDER BY 1`, { names: WHATSAPP })).rows.map((r: { k: string }) => r.k);

  it('only unrecords it, even once its tables exist: its down would undo what it never did', async () => {
    expect((await runCli(['--db', t.url, 'migrate', 'up'])).code).toBe(0);
    await whatsappArrives(t);
    await t.db.raw('ALTER TABLE bots RENAME CONSTRAINT bots_whatsapp_number_id_fkey TO fk_site_bot_number');
    const before = await whatsappKeys();

    const dry = await runCli(['--db', t.url, '--dry-run', 'migrate', 'down', '--to', '0004']);
    expect(dry.stdout).toMatch(/-- revert 0005_whatsapp_cascade_deletes\.sql[^\n]*\n-- nothing to revert: it was recorded without running \(no table whatsapp_numbers then\); only its record goes/);
    const down = await runCli(['--db', t.url, '--yes', 'migrate', 'down', '--to', '0004']);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain('unrecorded 0005_whatsapp_cascade_deletes.sql: it never ran here');
    expect(await whatsappKeys()).toEqual(before);
    const status = JSON.parse((await runCli(['--db', t.url, '--json', 'migrate', 'status'])).stdout);
    expect(status.migrations.find((m: { name: string }) => m.name.startsWith('0005')).state).toBe('pending');
  });
});

describe('a preflight run ahead of its migration', () => {
  let t: TestDatabase;
  afterEach(async () => t?.drop());

  it('on a table an earlier migration of the same run creates (no bookops:requires-tables): runs just before its migration', async () => {
    t = await createTestDatabase('preflight_later');
    const dir = migrationDir({ '0001_things.sql': THINGS, '0002_things_index.sql': THINGS_INDEX });
    const plan = await runCli(['--db', t.url, '--json', 'migrate', 'plan', '--check', '--migrations-dir', dir]);
    expect(plan.code, plan.stderr).toBe(0);
    const up = await runCli(['--db', t.url, 'migrate', 'up', '--migrations-dir', dir]);
    expect(up.code, up.stderr).toBe(0);
    expect((await t.db.raw("SELECT to_regclass('things_code_uidx') IS NOT NULL AS built")).rows[0].built).toBe(true);
  });

  it('that fails (not one whose table is absent) fails plan --check as it fails up, never passing as one that found nothing', async () => {
    t = await createTestDatabase('preflight_fails');
    const dir = migrationDir({
      '0001_things.sql': THINGS,
      '0002_codes_numeric.sql': `-- codes as numbers
-- migrate:preflight codes that are not numbers
SELECT id FROM things WHERE code::int < 0;
-- migrate:up
ALTER TABLE things ADD COLUMN n int;
-- migrate:down
ALTER TABLE things DROP COLUMN n;
`,
    });
    expect((await runCli(['--db', t.url, 'migrate', 'up', '--to', '0001', '--migrations-dir', dir])).code).toBe(0);
    const plan = await runCli(['--db', t.url, 'migrate', 'plan', '--check', '--migrations-dir', dir]);
    const up = await runCli(['--db', t.url, 'migrate', 'up', '--migrations-dir', dir]);
    for (const r of [plan, up]) {
      expect(r.code, r.stderr).toBe(7);
      expect(r.stderr).toMatch(/^bookops: invalid input syntax for type integer: "c1"/);
    }
    expect((await t.db.raw("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'things' AND column_name = 'n'")).rows[0].n).toBe(0);
  });
});
