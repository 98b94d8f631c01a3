/**
 * bookops behind a real PgBouncer (test/fixtures/pgbouncer.ts), in transaction and in session
 * pooling, with a pool of one server connection: run locks that hold (never two runs of one
 * migration) and settings that never outlive bookops' own transactions.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/target.js';
import { openDatabase } from '../../src/data/connect.js';
import { DEFAULT_SESSION } from '../../src/data/session.js';
import { sql } from '../../src/data/sql.js';
import { runCli } from '../fixtures/cli.js';
import { databasesForThisFile, type TestDatabase } from '../fixtures/db.js';
import { startPgBouncer, type Bouncer } from '../fixtures/pgbouncer.js';
import { legacySchema } from '../fixtures/schema.js';

const database = databasesForThisFile();

/** What a plain client of another application gets through the same pool. */
async function plainSettings(url: string): Promise<{ lock: string; stmt: string; check: string }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(
      "SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt, current_setting('client_connection_check_interval') AS check",
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

const DEFAULTS = { lock: '0', stmt: '0', check: '0' };

describe.each([
  { poolMode: 'transaction' as const, poolSize: 1 },
  { poolMode: 'session' as const, poolSize: 1 },
  { poolMode: 'transaction' as const, poolSize: 3 },
])('through PgBouncer in $poolMode pooling, pool size $poolSize', ({ poolMode, poolSize }) => {
  let t: TestDatabase;
  let bouncer: Bouncer;
  let url: string;
  beforeAll(async () => {
    t = await database(`bouncer_${poolMode}_${poolSize}`);
    await legacySchema(t);
    bouncer = await startPgBouncer(t.url, { poolMode, poolSize });
    url = bouncer.via(t.url);
  });
  afterAll(async () => bouncer?.stop());

  it('migrate plan shows the settings as up sends them here: transaction-locally, never a session SET', async () => {
    const r = await runCli(['--db', url, 'migrate', 'plan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/^SET (lock|statement)_timeout/m);
    expect(r.stdout).toContain("--   SELECT set_config('lock_timeout', '1000ms', true), set_config('statement_timeout', '300000ms', true);");
    expect(r.stdout).toContain('The run lock is a row of bookops_run_locks.');
    // Straight to the server, the session takes them, as the script says.
    expect((await runCli(['--db', t.url, 'migrate', 'plan'])).stdout).toMatch(/^SET lock_timeout = '1000ms';$/m);
  });

  it('two migrate up at once: each migration applied exactly once, both runs end well', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => runCli(['--db', url, '--json', 'migrate', 'up'], { timeoutMs: 180_000 })));
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const appliedBy = [a, b].map((r) => (JSON.parse(r.stdout).applied as Array<{ name: string }>).map((m) => m.name));
    const all = [...appliedBy[0], ...appliedBy[1]];
    expect(all).toHaveLength(new Set(all).size);
    const { rows } = await t.db.raw('SELECT name, count(*)::int AS n FROM bookops_migrations GROUP BY name ORDER BY name');
    expect(rows.every((r: { n: number }) => r.n === 1)).toBe(true);
    expect(rows.map((r: { name: string }) => r.name).slice(1)).toEqual([...all].sort());
    expect(rows).toHaveLength(8);
    // The lock row is gone with the runs that held it.
    expect((await t.db.raw('SELECT count(*)::int AS n FROM bookops_run_locks')).rows[0].n).toBe(0);
  });

  it("bookops' statements and transactions carry its settings; a plain client of the same pool gets the server's defaults", async () => {
    const db = await openDatabase(parseDatabaseUrl(url, 'flag'), { ...DEFAULT_SESSION, lockTimeoutMs: 1000, statementTimeoutMs: 300_000 });
    try {
      const alone = await db.raw("SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt");
      expect(alone.rows[0]).toEqual({ lock: '1s', stmt: '5min' });
      const inTrx = await db.transaction((trx) => trx.raw("SELECT current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt"));
      expect(inTrx.rows[0]).toEqual({ lock: '1s', stmt: '5min' });
      // A failing statement ends its own transaction: the next one runs.
      await expect(db.raw('SELECT 1/0')).rejects.toThrow(/division by zero/);
      expect((await db.raw('SELECT 1 AS one')).rows[0].one).toBe(1);
    } finally {
      await db.destroy();
    }
    for (const command of [['audit', '--json'], ['migrate', 'status'], ['chats', 'verify', '--backfill']]) {
      const r = await runCli(['--db', url, ...command]);
      expect([0, 1], `${command.join(' ')}: ${r.stderr}`).toContain(r.code);
    }
    expect(await plainSettings(url)).toEqual(DEFAULTS);
  });
});

describe('the lock row through transaction pooling', () => {
  let t: TestDatabase;
  let bouncer: Bouncer;
  let url: string;
  beforeAll(async () => {
    t = await database('bouncer_lock_row');
    await legacySchema(t);
    bouncer = await startPgBouncer(t.url, { poolMode: 'transaction', poolSize: 2 });
    url = bouncer.via(t.url);
    await t.db.raw(sql('locks/row-create-table').text);
  });
  afterAll(async () => bouncer?.stop());

  const pending = async () => JSON.parse((await runCli(['--db', url, '--json', 'migrate', 'status'])).stdout).pending;

  it('held by a run on a direct connection (a session advisory lock): a run through the pooler waits, then refuses, and applies nothing', async () => {
    const direct = new pg.Client({ connectionString: t.url });
    await direct.connect();
    try {
      await direct.query(sql('locks/try-lock').text, [0x626b6f70, 1]);
      const r = await runCli(['--db', url, 'migrate', 'up', '--lock-wait', '1s']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr.trim().split('\n').pop()).toMatch(/^bookops: another migration run holds the migration lock: pid \d+ \(.*\); gave up after 1s/);
      expect(await pending()).toBe(7);
      // Its row was taken, then given back when it saw the other run.
      expect((await t.db.raw('SELECT count(*)::int AS n FROM bookops_run_locks')).rows[0].n).toBe(0);
    } finally {
      await direct.end();
    }
  });

  it('held by a live run: migrate up waits --lock-wait, then refuses with exit 4 naming it, and applies nothing', async () => {
    await t.db.raw(`INSERT INTO bookops_run_locks (lock_name, holder, host, pid) VALUES ('migration lock', gen_random_uuid(), 'ops-box-2', 4242)`);
    const r = await runCli(['--db', url, 'migrate', 'up', '--lock-wait', '1s']);
    expect(r.code, r.stderr).toBe(4);
    const lines = r.stderr.trim().split('\n');
    expect(lines[lines.length - 1]).toMatch(/^bookops: another migration run holds the migration lock: bookops pid 4242 on ops-box-2 .*last seen .*; gave up after 1s/);
    expect(await pending()).toBe(7);
  });

  it('held as a row by a live run through the pooler: a run on a direct connection waits, then refuses, and applies nothing', async () => {
    const r = await runCli(['--db', t.url, 'migrate', 'up', '--lock-wait', '1s']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr.trim().split('\n').pop()).toMatch(/^bookops: another migration run holds the migration lock: bookops pid 4242 on ops-box-2 .*; gave up after 1s/);
    expect(await pending()).toBe(7);
  });

  it('left by a run killed long ago (its heartbeat 10 minutes old): taken over, and the run applies everything', async () => {
    await t.db.raw(`UPDATE bookops_run_locks SET heartbeat_at = now() - interval '10 minutes'`);
    const r = await runCli(['--db', url, '--json', 'migrate', 'up']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).applied).toHaveLength(7);
    expect(await pending()).toBe(0);
    expect((await t.db.raw('SELECT count(*)::int AS n FROM bookops_run_locks')).rows[0].n).toBe(0);
  });
});

describe('--lock-timeout through transaction pooling', () => {
  it('bounds a repair that meets a lock: exit 6 instead of a wait, and the pool keeps the defaults', async () => {
    const t = await database('bouncer_lock_timeout');
    await legacySchema(t);
    const bouncer = await startPgBouncer(t.url, { poolMode: 'transaction', poolSize: 2 });
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE interviews IN ACCESS EXCLUSIVE MODE');
      const r = await runCli(['--db', bouncer.via(t.url), '--lock-timeout', '200ms', 'interviews', 'clean-cancelled', '--yes'], { timeoutMs: 60_000 });
      expect(r.signal).toBeNull();
      expect(r.code, r.stderr).toBe(6);
      expect(r.stderr).toMatch(/lock timeout/);
      await holder.query('ROLLBACK');
      expect(await plainSettings(bouncer.via(t.url))).toEqual(DEFAULTS);
    } finally {
      await holder.end();
      await bouncer.stop();
    }
  });
});

describe('a PgBouncer that drops the start-up parameters (ignore_startup_parameters)', () => {
  it('is detected: the settings go transaction-locally and do not stay on the pool', async () => {
    const t = await database('bouncer_ignore');
    const bouncer = await startPgBouncer(t.url, {
      poolMode: 'transaction',
      poolSize: 1,
      ignoreStartupParameters: ['options', 'lock_timeout', 'statement_timeout'],
    });
    try {
      const url = bouncer.via(t.url);
      const r = await runCli(['--db', url, '--verbose', 'migrate', 'status']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('session settings transaction-locally in every transaction (a pooler)');
      expect(await plainSettings(url)).toEqual(DEFAULTS);
    } finally {
      await bouncer.stop();
    }
  });
});
