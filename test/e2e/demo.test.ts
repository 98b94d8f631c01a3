/**
 * `bookops demo` and `bookops demo seed` end to end: the built binary (npm run build first),
 * spawned as a user runs it, against test databases given with --db.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHECK_IDS } from '../../src/demo/checks.js';
import { per } from '../../src/demo/plan.js';
import { invokedOn, runCli, type CliResult } from '../fixtures/cli.js';
import { adminUrl, databasesForThisFile, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';

function oneLine(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0];
}

/** No password of the test server in any output. */
function noPassword(r: CliResult): void {
  const password = decodeURIComponent(new URL(adminUrl()).password);
  if (password) expect(r.stdout + r.stderr).not.toContain(password);
}

async function count(t: TestDatabase, sql: string): Promise<number> {
  const { rows } = await t.db.raw(`SELECT (${sql})::int AS n`);
  return rows[0].n;
}

const database = databasesForThisFile();

describe('bookops demo seed', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await database('demo_cli_seed');
    await legacySchema(t);
  });

  it('--scale 50 --json prints one document with the planted counts by check id', async () => {
    const r = await runCli(['demo', 'seed', '--db', t.url, '--scale', '50', '--json']);
    expect(r.code, r.stderr).toBe(0);
    noPassword(r);
    const report = JSON.parse(r.stdout);
    expect(report.scale).toBe(50);
    expect(report.target).toMatch(/^[^:@]+@[^:]+:\d+\/bookops_t_demo_cli_seed_/);
    expect(typeof report.seconds).toBe('number');
    expect(Object.keys(report.planted)).toEqual(DEMO_CHECK_IDS);
    expect(report.planted['interviews.cancelled-blocking']).toMatchObject({ count: per(50, 50), module: 'interviews', unit: 'rows' });
    expect(report.planted['chats.missing']).toMatchObject({ count: per(50, 100), module: 'lessons', unit: 'pairs' });
    expect(report.planted['chats.duplicates'].count).toBe(0);
    expect(report.planted['chats.duplicates'].note).toMatch(/refused by/);
    expect(report.rows.slots).toBe(await count(t, 'SELECT count(*) FROM slots'));
    // Piped: no progress drawn, nothing on stderr.
    expect(r.stderr).toBe('');
  });

  it('a second seeding of the same database refuses with exit 4 and one line', async () => {
    const before = await count(t, 'SELECT count(*) FROM slots');
    const r = await runCli(['demo', 'seed', '--db', t.url, '--scale', '50']);
    expect(r.code).toBe(4);
    expect(oneLine(r)).toMatch(/already holds platform data/);
    expect(await count(t, 'SELECT count(*) FROM slots')).toBe(before);
  });

  it('refuses a database without the baseline schema (exit 7, tables absent) and says how to create it', async () => {
    const bare = await database('demo_cli_bare');
    const r = await runCli(['--db', bare.url, 'demo', 'seed', '--scale', '10']);
    expect(r.code).toBe(7);
    expect(oneLine(r)).toMatch(/lacks the platform schema.*node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate up --to 0001/);
    expect(await count(bare, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`)).toBe(0);
  });

  it('a bad --scale is one line on stderr and exit 2, before any connection', async () => {
    for (const value of ['-1', 'abc', '0', '1.5', '20000000']) {
      const r = await runCli(['demo', 'seed', '--db', 'postgres://nobody@127.0.0.1:1/none', '--scale', value]);
      expect(r.code, value).toBe(2);
      expect(oneLine(r), value).toMatch(new RegExp(`^bookops: option '--scale <n>': '${value}' .* \\(see node bin/bookops\\.js demo seed --help\\)$`));
    }
    const r = await runCli(['demo', '--scale=-1']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toContain('must be between 1 and 10000000');
  });
});

describe('bookops demo on a --db target', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await database('demo_cli_tour');
  });

  it('on an empty database: applies the legacy baseline, seeds, prints the defects by module and what to try', async () => {
    const r = await runCli(['--db', t.url, 'demo', '--scale', '100']);
    expect(r.code, r.stderr).toBe(0);
    noPassword(r);
    // Piped: nothing but the result, no line of the baseline's migration on stderr.
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('applied 0001_legacy_baseline');
    expect(r.stdout).toContain('Planted defects by module');
    for (const module of ['interviews', 'recruiting', 'whatsapp', 'lessons']) expect(r.stdout).toContain(module);
    const slot = await count(t, `SELECT min(time_slot_id) FROM interviews WHERE status = 'cancelled'`);
    expect(r.stdout).toContain(`${invokedOn(t.url)} interviews rebook --slot ${slot} --user `);
    // Each command names the --db itself: no note asks to set it again.
    expect(r.stdout).not.toContain('settings as this run');
    expect(r.stdout).toMatch(/node bin\/bookops\.js --db (?:'[^']*'|\S+) whatsapp preview-delete \+7900\d{7}/);
    expect(r.stdout).toContain(`${invokedOn(t.url)} audit`);
    expect(r.stdout).not.toContain('--reset');
    expect(await count(t, 'SELECT count(*) FROM bookops_migrations')).toBe(1);
  });

  it('a second run reuses the database: no reseeding, the same report, exit 0', async () => {
    const slots = await count(t, 'SELECT count(*) FROM slots');
    const r = await runCli(['--db', t.url, 'demo', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.status).toBe('existing');
    expect(result.applied).toEqual([]);
    expect(result.report.scale).toBe(100);
    expect(Object.keys(result.report.planted)).toEqual(DEMO_CHECK_IDS);
    expect(result.report.planted['outbox.stuck'].count).toBe(per(100, 100));
    expect(result.next.map((s: { command: string }) => s.command)).toContain(`${invokedOn(t.url)} migrate plan`);
    expect(await count(t, 'SELECT count(*) FROM slots')).toBe(slots);
    expect(await count(t, 'SELECT count(*) FROM bookops_demo')).toBe(1);

    const human = await runCli(['--db', t.url, 'demo']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('already set up');
    expect(human.stdout).toContain('Planted defects by module');
  });

  it('--reset is refused on anything but the embedded cluster, with or without --yes', async () => {
    for (const args of [['--reset'], ['--reset', '--yes']]) {
      const r = await runCli(['--db', t.url, 'demo', ...args]);
      expect(r.code).toBe(4);
      expect(oneLine(r)).toMatch(/--reset .* only on its embedded cluster/);
      // The way out names the command without --db (the hint's own advice), not with this run's.
      expect(oneLine(r)).toMatch(/or run [^(]*bookops\S* demo without --db\)$/);
      expect(oneLine(r)).not.toMatch(/--db \S+ demo without/);
    }
    expect(await count(t, 'SELECT count(*) FROM bookops_demo')).toBe(1);
  });

  it('refuses a database that is neither empty nor a demo database, and writes nothing', async () => {
    const other = await database('demo_cli_other');
    await other.db.raw('CREATE TABLE customers (id int PRIMARY KEY)');
    const r = await runCli(['--db', other.url, 'demo']);
    expect(r.code).toBe(4);
    expect(oneLine(r)).toMatch(/is not empty and is not a bookops demo database: it holds tables bookops did not create \(customers\)/);
    expect(oneLine(r)).toMatch(/or run [^(]*bookops\S* demo without --db\)$/);
    expect(oneLine(r)).not.toMatch(/--db \S+ demo without/);
    expect(await count(other, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`)).toBe(1);
  });

  it('piped with --json on an empty database: the one document on stdout, nothing on stderr', async () => {
    const empty = await database('demo_cli_json');
    const r = await runCli(['--db', empty.url, 'demo', '--json', '--scale', '10']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'created', applied: ['0001_legacy_baseline.sql'] });
  });

  it('--dry-run says what it would do and leaves the database empty', async () => {
    const empty = await database('demo_cli_dry');
    const r = await runCli(['--db', empty.url, 'demo', '--dry-run', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'dry-run', actions: ['apply the legacy baseline (0001)', 'seed at scale 1000'] });
    expect(await count(empty, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`)).toBe(0);
  });
});
