/**
 * The embedded cluster from a fresh BOOKOPS_HOME: status before anything exists, start on a free
 * port (not 5432), a URL that works without containing the password, the default target
 * starting it on demand, and a clean stop. These machines run the tests as root, so this also
 * covers the server running as the postgres OS user.
 */
import { chmodSync, copyFileSync, mkdtempSync, statSync } from 'node:fs';
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

  it('reports a cluster that does not exist yet', async () => {
    const r = await cli('db', 'status', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ initialised: false, running: false });
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
    const status = JSON.parse((await cli('db', 'status', '--json')).stdout);
    expect(status).toMatchObject({ initialised: true, running: true, port: started.port });
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

  it('stops cleanly, and the default target starts it again on demand', async () => {
    const dry = await cli('--dry-run', 'db', 'stop');
    expect(dry.stdout).toContain('dry run: would stop the embedded cluster; nothing changed');
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout).running).toBe(true);
    const stop = await cli('db', 'stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('stopped');
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout).running).toBe(false);
    const r = await cli('migrate', 'status', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('started the embedded PostgreSQL cluster');
    expect(JSON.parse(r.stdout).target).toMatch(/^bookops@127\.0\.0\.1:\d+\/bookops$/);
    expect(JSON.parse((await cli('db', 'status', '--json')).stdout).running).toBe(true);
  });
});
