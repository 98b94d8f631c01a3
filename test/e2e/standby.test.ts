/**
 * A hot standby (a streaming replica the test makes with pg_basebackup over loopback, PostgreSQL
 * 15: the system pg_basebackup backs up its own major only): the read-only commands work there
 * and write nothing; a command that writes refuses with one line and exit 4, before it starts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../fixtures/cli.js';
import { createDatabaseOn, urlFor, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';
import { startServer, startStandby, type Server } from '../fixtures/servers.js';

function oneLine(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0];
}

/** Every relation of the database, with its kind: what a command created would show here. */
const RELATIONS = `SELECT string_agg(relname || ':' || relkind::text, ',' ORDER BY relname) AS all FROM pg_class WHERE relnamespace = 'public'::regnamespace`;

describe('on a hot standby', () => {
  let primary: Server;
  let standby: Server;
  let t: TestDatabase;
  let onStandby: string;
  let relations: string;

  beforeAll(async () => {
    primary = await startServer(15);
    t = await createDatabaseOn(primary.adminUrl, 'standby');
    await legacySchema(t);
    const seed = await runCli(['--db', t.url, 'demo', 'seed', '--scale', '200', '--json'], { timeoutMs: 300_000 });
    expect(seed.code, seed.stderr).toBe(0);
    relations = (await t.db.raw(RELATIONS)).rows[0].all;
    standby = await startStandby(primary);
    onStandby = urlFor(t.name, standby.adminUrl);
  }, 600_000);
  afterAll(async () => {
    await t?.drop();
    await standby?.stop();
    await primary?.stop();
  });

  it('the read-only commands run and report as on the primary', async () => {
    const audit = await runCli(['--db', onStandby, '--json', 'audit']);
    expect(audit.code, audit.stderr).toBe(1);
    const onPrimary = await runCli(['--db', t.url, '--json', 'audit']);
    const counts = (r: CliResult) => Object.fromEntries(JSON.parse(r.stdout).checks.map((c: { id: string; count: number }) => [c.id, c.count]));
    expect(counts(audit)).toEqual(counts(onPrimary));

    const verify = await runCli(['--db', onStandby, '--json', 'chats', 'verify']);
    expect(verify.code, verify.stderr).toBe(1);
    expect(JSON.parse(verify.stdout).missing.pairs).toBeGreaterThan(0);

    const metrics = await runCli(['--db', onStandby, 'chats', 'metrics', '--format', 'prometheus']);
    expect(metrics.code, metrics.stderr).toBe(0);
    expect(metrics.stdout).toMatch(/^bookops_chat_/m);

    const status = await runCli(['--db', onStandby, '--json', 'migrate', 'status']);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout).pending).toBe(7);

    const plan = await runCli(['--db', onStandby, 'migrate', 'plan']);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain('CREATE UNIQUE INDEX CONCURRENTLY');
  });

  it('they wrote nothing: the same relations on the primary as before the standby was made', async () => {
    for (const command of [['audit'], ['chats', 'verify'], ['chats', 'metrics'], ['migrate', 'status'], ['migrate', 'plan']]) {
      const r = await runCli(['--db', t.url, ...command]);
      expect([0, 1], `${command.join(' ')}: ${r.stderr}`).toContain(r.code);
    }
    expect((await t.db.raw(RELATIONS)).rows[0].all).toBe(relations);
  });

  it('a command that writes refuses with one line and exit 4, naming the standby', async () => {
    for (const command of [
      ['migrate', 'up'],
      ['chats', 'verify', '--backfill'],
      ['slots', 'release', '1', '--yes'],
      ['outbox', 'retry-failed', '--yes'],
      ['migrate', 'baseline'],
    ]) {
      const r = await runCli(['--db', onStandby, ...command]);
      expect(r.code, `${command.join(' ')}: ${r.stderr}`).toBe(4);
      expect(oneLine(r)).toMatch(
        new RegExp(`^bookops: [^ ]+ is a read-only hot standby \\(in recovery\\): bookops ${command.filter((w) => !/^-|^\d/.test(w)).join(' ')} writes, so run it against the primary`),
      );
    }
  });
});
