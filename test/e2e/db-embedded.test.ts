/**
 * The embedded cluster from a fresh BOOKOPS_HOME: status before anything exists, start on a free
 * port (not 5432), a URL that works without containing the password, the default target
 * starting it on demand, and a clean stop. These machines run the tests as root, so this also
 * covers the server running as the postgres OS user.
 */
import { chmodSync, copyFileSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/target.js';
import { connectClient } from '../../src/data/connect.js';
import { DEFAULT_SESSION } from '../../src/data/session.js';
import { runCli } from '../fixtures/cli.js';

describe('bookops db start|status|url|stop', () => {
  const home = mkdtempSync(join(tmpdir(), 'bookops-home-'));
  const env = { BOOKOPS_HOME: home };
  const cli = (...args: string[]) => runCli(args, { env });
  afterAll(async () => {
    await cli('db', 'stop');
    await rm(home, { recursive: true, force: true });
  });

  it('reports a cluster that does not exist yet (exit 3, as pg_ctl status), and its state all the same', async () => {
    const r = await cli('db', 'status', '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ initialised: false, running: false });
    const text = await cli('db', 'status');
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/state\s*\|\s*not initialised/);
    const url = await cli('db', 'url');
    expect(url.code).toBe(5);
  });

  it('initialises and starts on a free loopback port, then reuses it', async () => {
    const dry = await cli('--dry-run', 'db', 'start');
    expect(dry.stdout).toContain('dry run: would start the embedded cluster');
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout)).toMatchObject({ initialised: false, running: false });
    const r = await cli('--json', 'db', 'start');
    expect(r.code, r.stderr).toBe(0);
    const started = JSON.parse(r.stdout);
    expect(started).toMatchObject({ started: true, initialised: true });
    expect(started.port).not.toBe(5432);
    if (process.getuid?.() === 0) expect(statSync(join(home, 'pg', 'data')).uid).not.toBe(0);
    const again = JSON.parse((await cli('--json', 'db', 'start')).stdout);
    expect(again).toMatchObject({ started: false, port: started.port });
    const running = await cli('db', 'status', '--json');
    expect(running.code).toBe(0);
    expect(JSON.parse(running.stdout)).toMatchObject({ initialised: true, running: true, port: started.port });
  });

  it('prints a URL without the password that still connects', async () => {
    const r = await cli('db', 'url');
    expect(r.code).toBe(0);
    const url = r.stdout.trim();
    expect(url).toMatch(/^postgresql:\/\/bookops@127\.0\.0\.1:\d+\/bookops\?passfile=/);
    const target = parseDatabaseUrl(url, 'flag');
    expect(target.spec.password).toBeTruthy();
    expect(url).not.toContain(target.spec.password!);
    // as every command connects: sslmode=prefer tries TLS first, and the embedded cluster has none
    const { client } = await connectClient(target, DEFAULT_SESSION);
    const { rows } = await client.query('SELECT current_database() AS db');
    await client.end();
    expect(rows[0].db).toBe('bookops');
  });

  it('refuses a --database that is empty or longer than a PostgreSQL name (exit 2, one line)', async () => {
    const empty = await cli('db', 'url', '--database', '');
    expect(empty.code).toBe(2);
    expect(empty.stdout).toBe('');
    expect(empty.stderr.trim()).toBe("bookops: option '--database <name>': '' must not be empty (see node bin/bookops.js db url --help)");
    const long = await cli('db', 'url', '--database', 'x'.repeat(64));
    expect(long.code).toBe(2);
    expect(long.stderr.trim()).toMatch(/^bookops: option '--database <name>': 'x+…' is longer than 63 bytes/);
    expect((await cli('db', 'url', '--database', 'other')).stdout).toMatch(/^postgresql:\/\/bookops@127\.0\.0\.1:\d+\/other\?passfile=/);
  });

  it('reads PGPASSFILE as libpq does (not when others may read it), without pg\'s deprecation warning', async () => {
    const url = (await cli('db', 'url')).stdout.trim();
    const passfile = decodeURIComponent(new URL(url).searchParams.get('passfile')!);
    const bare = url.replace(/\?.*$/, '');
    const r = await runCli(['--db', bare, 'migrate', 'status'], { env: { BOOKOPS_HOME: home, PGPASSFILE: passfile } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Warning/);
    const open = join(home, 'pgpass-readable');
    copyFileSync(passfile, open);
    chmodSync(open, 0o644);
    const ignored = await runCli(['--db', bare, 'migrate', 'status'], { env: { BOOKOPS_HOME: home, PGPASSFILE: open } });
    expect(ignored.code).toBe(3);
  });

  it('refuses --db, --target and --all-targets (exit 2, one line): the db commands manage the embedded cluster only', async () => {
    const config = join(home, 'targets.json');
    writeFileSync(config, JSON.stringify({ targets: { a: 'postgres://nobody@127.0.0.1:1/a', b: 'postgres://nobody@127.0.0.1:1/b' } }));
    const cases: Array<[string[], string]> = [
      [['--db', 'postgres://nobody@127.0.0.1:1/elsewhere', 'db', 'stop'], 'db stop takes no --db'],
      [['--db', 'postgres://nobody@127.0.0.1:1/elsewhere', 'db', 'status'], 'db status takes no --db'],
      [['--db', 'postgres://nobody@127.0.0.1:1/elsewhere', 'db', 'url'], 'db url takes no --db'],
      [['--config', config, '--target', 'a', 'db', 'start'], 'db start takes no --target'],
      [['--config', config, '--all-targets', 'db', 'status'], 'db status takes no --all-targets'],
    ];
    for (const [args, said] of cases) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim()).toBe(`bookops: ${said}: the db commands manage the embedded cluster only`);
    }
    // The embedded cluster was not stopped by `--db … db stop`.
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout)).toMatchObject({ running: true });
  });

  it('stops cleanly, and the default target starts it again on demand', async () => {
    const dry = await cli('--dry-run', 'db', 'stop');
    expect(dry.stdout).toContain('dry run: would stop the embedded cluster; nothing changed');
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout).running).toBe(true);
    const stop = await cli('db', 'stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('stopped');
    const stopped = await cli('db', 'status', '--json');
    expect(stopped.code).toBe(3);
    expect(JSON.parse(stopped.stdout)).toMatchObject({ initialised: true, running: false });
    const r = await cli('migrate', 'status', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.trim()).toMatch(/^started the embedded PostgreSQL cluster on 127\.0\.0\.1:\d+ \(stop it with: node bin\/bookops\.js db stop\)$/);
    expect(JSON.parse(r.stdout).target).toMatch(/^bookops@127\.0\.0\.1:\d+\/bookops$/);
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout).running).toBe(true);
  });
});

describe('a command with no target, the first time', () => {
  const home = mkdtempSync(join(tmpdir(), 'bookops-first-'));
  const env = { BOOKOPS_HOME: home };
  afterAll(async () => {
    await runCli(['db', 'stop'], { env });
    await rm(home, { recursive: true, force: true });
  });

  it('says in one line on stderr what it creates, where, and that it keeps running; then only that it started it', async () => {
    const first = await runCli(['migrate', 'status', '--json'], { env });
    expect(first.code, first.stderr).toBe(0);
    const root = process.getuid?.() === 0 ? ', run by the OS user postgres \\(created when missing, as PostgreSQL refuses to run as root\\)' : '';
    expect(first.stderr.trim()).toMatch(
      new RegExp(`^no database given \\(--db, DATABASE_URL, PG\\*\\): creating an embedded PostgreSQL cluster in ${home}${root}; it keeps running after this command \\(stop it with: node bin/bookops\\.js db stop\\)$`),
    );
    const again = await runCli(['migrate', 'status', '--json'], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect((await runCli(['db', 'status'], { env })).code).toBe(0);
  });
});
