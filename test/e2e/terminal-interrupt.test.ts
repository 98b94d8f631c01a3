/**
 * A batched repair stopped while the server makes it wait on a lock: the progress line says what
 * runs in words, how far, how fast and how long is left; Ctrl-C (in a real terminal) or SIGTERM
 * stops it while the server still waits, and the run says what stays committed, under which
 * archive operation, and the command that undoes it; exit 130 / 143, and with --json one document.
 */
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { invokedOn, runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';
import { count } from '../fixtures/support.js';
import { openTerminal, type Terminal } from '../fixtures/terminal.js';

const ROWS = 400;
const BATCH = '100';

/** A session of the application holding one row of the third batch: the repair waits on it. */
async function holdThirdBatchRow(t: TestDatabase): Promise<pg.Client> {
  const holder = new pg.Client({ connectionString: t.url });
  await holder.connect();
  await holder.query('BEGIN');
  // Not `ORDER BY id OFFSET 250 LIMIT 1 FOR UPDATE`: that locks the 250 skipped rows too.
  await holder.query('SELECT id FROM interviews WHERE id = (SELECT id FROM interviews ORDER BY id OFFSET 250 LIMIT 1) FOR UPDATE');
  return holder;
}

async function release(holder: pg.Client): Promise<void> {
  await holder.query('ROLLBACK').catch(() => undefined);
  await holder.end().catch(() => undefined);
}

/** Polls the database until bookops waits on the held row with two batches committed. */
async function waitingOnTheLock(t: TestDatabase): Promise<void> {
  const until = Date.now() + 45_000;
  for (;;) {
    const waiting = await count(t.db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bookops' AND datname = current_database() AND wait_event_type = 'Lock'`);
    if (waiting === 1 && (await count(t.db, 'SELECT count(*) FROM interviews')) === ROWS - 200) return;
    if (Date.now() > until) throw new Error('bookops never came to wait on the held row');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const REPAIR = ['--yes', '--lock-timeout', '10min', 'interviews', 'clean-cancelled', '--batch-size', BATCH];

describe('interrupting a batched repair that waits on a lock', { timeout: 180_000 }, () => {
  let t: TestDatabase;
  let holder: pg.Client | undefined;
  let term: Terminal | undefined;

  beforeAll(async () => {
    t = await createTestDatabase('terminal_interrupt');
    await legacySchema(t);
  });
  beforeEach(async () => {
    if (holder) await release(holder);
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
    await t.db.raw(`
      INSERT INTO time_slots (interviewer_id, start_time, end_time)
      SELECT 7, localtimestamp + make_interval(hours => 24 + g), localtimestamp + make_interval(hours => 25 + g) FROM generate_series(1, ${ROWS}) g;
      INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, cancelled_at)
      SELECT id, 7, 1000 + id, 'cancelled', localtimestamp - interval '1 day' FROM time_slots`);
    holder = await holdThirdBatchRow(t);
  });
  afterAll(async () => {
    if (holder) await release(holder);
    await term?.close();
    await t?.drop();
  });

  it('Ctrl-C in a terminal: the progress in words, then what stays committed and its undo; exit 130', async () => {
    term = await openTerminal({ width: 100, height: 40 });
    // CI set, as on the CI machines: a terminal is still a terminal (ora alone would draw nothing there).
    await term.bookops(['--db', t.url, ...REPAIR], { CI: 'true' });
    await waitingOnTheLock(t);
    // Two batches of four are committed; the third waits. No internal id, a rate and a time left.
    const progress = await term.waitFor(/deleting cancelled interviews [█░]{16} 50% · 200 of 400 interviews · [\d.,]+\/s · (\d+[dhms] ?)+ left/);
    expect(progress).not.toContain('interviews.clean-cancelled');

    await term.keys('C-c');
    const { code } = await term.exit();
    expect(code).toBe(130);
    const screen = (await term.screen({ joined: true })).replace(/\s+/g, ' ');
    const said = /interrupted by SIGINT: interviews\.clean-cancelled stopped; already committed: 200 row\(s\) deleted from interviews, archived in operation (\d+); the batch in progress was rolled back; undo with: node \S*bin\/bookops\.js --db (?:'[^']*'|\S+) archive restore (\d+)/.exec(screen);
    expect(said, screen).not.toBeNull();
    expect(said![2]).toBe(said![1]);
    // Stopped while the row was still held: the statement was cancelled, nothing of bookops waits on it.
    expect(await count(t.db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bookops' AND datname = current_database() AND wait_event_type = 'Lock'`)).toBe(0);
    expect(await count(t.db, 'SELECT count(*) FROM interviews')).toBe(ROWS - 200);
    const op = Number(said![1]);
    const [summary] = (await t.db.raw('SELECT summary FROM bookops_archive_operations WHERE id = ?', [op])).rows;
    expect(summary.summary).toMatchObject({ complete: false, error: 'interrupted by SIGINT' });

    // The command it printed undoes it.
    await release(holder!);
    holder = undefined;
    const undo = await runCli(['--db', t.url, '--yes', 'archive', 'restore', String(op)]);
    expect(undo.code, undo.stderr).toBe(0);
    expect(await count(t.db, 'SELECT count(*) FROM interviews')).toBe(ROWS);
  });

  it('SIGTERM with --json: exit 143 and one JSON document naming the operation and what it holds', async () => {
    let pid = 0;
    const run = runCli(['--db', t.url, '--json', ...REPAIR], { onSpawn: (p) => (pid = p) });
    await waitingOnTheLock(t);
    process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(r.code, r.stderr).toBe(143);
    const doc = JSON.parse(r.stdout);
    expect(doc.error).toMatchObject({
      code: 'interrupted',
      exitCode: 143,
      signal: 'SIGTERM',
      archiveOperation: expect.any(Number),
      committed: [{ table_name: 'interviews', change: 'deleted', rows: 200 }],
      complete: false,
    });
    // The undo as this bookops was invoked (runCli spawns `node bin/bookops.js`), on the same --db.
    expect(doc.error.undo).toBe(`${invokedOn(t.url)} archive restore ${doc.error.archiveOperation}`);
    expect(r.stderr).toContain(`bookops: interrupted by SIGTERM: interviews.clean-cancelled stopped; already committed: 200 row(s) deleted from interviews`);
    expect(await count(t.db, 'SELECT count(*) FROM interviews')).toBe(ROWS - 200);
  });

  it('SIGINT before any batch committed: nothing changed, exit 130, one JSON document', async () => {
    // The first batch waits: the held row is among its ids.
    await release(holder!);
    holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('SELECT id FROM interviews WHERE id = (SELECT min(id) FROM interviews) FOR UPDATE');
    let pid = 0;
    const run = runCli(['--db', t.url, '--json', ...REPAIR], { onSpawn: (p) => (pid = p) });
    const until = Date.now() + 45_000;
    while ((await count(t.db, `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'bookops' AND datname = current_database() AND wait_event_type = 'Lock'`)) === 0) {
      if (Date.now() > until) throw new Error('bookops never came to wait on the held row');
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(pid, 'SIGINT');
    const r = await run;
    expect(r.code, r.stderr).toBe(130);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'interrupted', exitCode: 130, signal: 'SIGINT' });
    expect(r.stderr).toContain('interrupted by SIGINT: interviews.clean-cancelled changed nothing (the transaction in progress was rolled back)');
    expect(await count(t.db, 'SELECT count(*) FROM interviews')).toBe(ROWS);
  });
});

describe('interrupting a run that waits for the migration lock', { timeout: 120_000 }, () => {
  let t: TestDatabase;
  let holder: pg.Client | undefined;
  beforeAll(async () => {
    t = await createTestDatabase('terminal_interrupt_lock');
    await legacySchema(t);
    // Another migration run holds the lock (MIGRATION_LOCK of src/data/advisory-lock.ts).
    holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    await holder.query(`SELECT pg_advisory_lock(${0x626b6f70}, 1)`);
  });
  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await t?.drop();
  });

  it('SIGTERM while waiting: exit 143 and, with --json, still one JSON document with that exitCode', async () => {
    let pid = 0;
    let waiting!: () => void;
    const reached = new Promise<void>((r) => (waiting = r));
    const run = runCli(['--db', t.url, '--json', 'migrate', 'up', '--lock-wait', '10min'], {
      onSpawn: (p) => (pid = p),
      onStderr: (stderr) => stderr.includes('for the migration lock') && waiting(),
    });
    await reached;
    process.kill(pid, 'SIGTERM');
    const r = await run;
    expect(r.code, r.stderr).toBe(143);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'interrupted', exitCode: 143, signal: 'SIGTERM' });
    expect(r.stderr).toMatch(/bookops: interrupted by SIGTERM/);
    // Nothing was applied: the baseline is still the only migration recorded.
    const status = await runCli(['--db', t.url, '--json', 'migrate', 'status']);
    expect(JSON.parse(status.stdout).migrations.filter((m: { state: string }) => m.state === 'applied')).toHaveLength(1);
  });
});
