/**
 * What a DBA types for psql means the same to bookops, spawning the binary: service files
 * (PGSERVICE, service=, ?service=, PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR, the user's
 * file before the system's), a missing service as one line (never the embedded cluster instead),
 * malformed strings refused without being repeated, the password file's permission rule, and no
 * password left in the process title.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { expectOneLineError } from '../fixtures/support.js';

let t: TestDatabase;
let server: { host: string; port: string; user: string; password: string; dbname: string };
beforeAll(async () => {
  t = await createTestDatabase('libpq_targets');
  const url = new URL(t.url);
  server = {
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    dbname: url.pathname.slice(1),
  };
});
afterAll(async () => t?.drop());

/** A HOME and a PGSYSCONFDIR of their own. */
function dirs(): { home: string; sys: string; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'bookops-libpq-'));
  mkdirSync(join(root, 'home'));
  mkdirSync(join(root, 'etc'));
  return { root, home: join(root, 'home'), sys: join(root, 'etc') };
}

function section(name: string, entries: Record<string, string>): string {
  return [`[${name}]`, ...Object.entries(entries).map(([k, v]) => `${k}=${v}`), ''].join('\n');
}

/** Which database the run reached, from --verbose's target line. */
function reached(stderr: string): string | undefined {
  return /target (\S+) \(from /.exec(stderr)?.[1];
}

/** What psql 15 makes of the same string and environment: the database it reached, or its error. */
function psql(conninfo: string, env: Record<string, string>): string {
  const res = spawnSync('psql', [...(conninfo ? [conninfo] : []), '-XAtc', 'SELECT current_database()'], {
    env: { PATH: process.env.PATH, ...env },
    encoding: 'utf8',
  });
  return res.status === 0 ? res.stdout.trim() : res.stderr.trim();
}

const label = () => `${server.user}@${server.host}:${server.port}/${server.dbname}`;

describe('service files', () => {
  it('PGSERVICE, --db service=, ?service= and DATABASE_URL=service= all reach the service; the user file wins over the system file', async () => {
    const { home, sys } = dirs();
    writeFileSync(join(home, '.pg_service.conf'), section('booking', { ...server, sslmode: 'disable' }));
    // the system file has the same service pointing elsewhere: not read, since the user file has it
    writeFileSync(join(sys, 'pg_service.conf'), section('booking', { host: '127.0.0.1', port: '1', dbname: 'elsewhere' }));
    const env = { HOME: home, PGSYSCONFDIR: sys };
    for (const [args, extra] of [
      [[], { PGSERVICE: 'booking' }],
      [['--db', 'service=booking'], {}],
      [['--db', 'postgresql:///?service=booking'], {}],
      [[], { DATABASE_URL: 'service=booking' }],
    ] as Array<[string[], Record<string, string>]>) {
      const res = await runCli(['migrate', 'status', '--verbose', ...args], { env: { ...env, ...extra } });
      expect(res.code, res.stderr).toBe(0);
      expect(reached(res.stderr)).toBe(label());
      expect(res.stderr).not.toMatch(/embedded/);
    }
    // psql reads the same files the same way
    expect(psql('service=booking', { ...env })).toBe(server.dbname);
    expect(psql('', { ...env, PGSERVICE: 'booking' })).toBe(server.dbname);
  });

  it('PGSERVICEFILE names the user file; the system file (PGSYSCONFDIR) serves a service the user file lacks', async () => {
    const { root, home, sys } = dirs();
    const custom = join(root, 'services.conf');
    writeFileSync(custom, section('mine', { ...server, sslmode: 'disable' }));
    writeFileSync(join(sys, 'pg_service.conf'), section('shared', { ...server, sslmode: 'disable' }));
    const mine = await runCli(['migrate', 'status', '--verbose'], { env: { HOME: home, PGSYSCONFDIR: sys, PGSERVICEFILE: custom, PGSERVICE: 'mine' } });
    expect(reached(mine.stderr), mine.stderr).toBe(label());
    const shared = await runCli(['migrate', 'status', '--verbose'], { env: { HOME: home, PGSYSCONFDIR: sys, PGSERVICE: 'shared' } });
    expect(reached(shared.stderr), shared.stderr).toBe(label());
  });

  it('a service that is not found is one line naming it (exit 2), and the embedded cluster is not started instead', async () => {
    const { home, sys } = dirs();
    const env = { HOME: home, PGSYSCONFDIR: sys, BOOKOPS_HOME: join(home, 'never') };
    expectOneLineError(await runCli(['audit'], { env: { ...env, PGSERVICE: 'booking-prod' } }), 2, /^bookops: PGSERVICE: definition of service "booking-prod" not found \(looked in /);
    expectOneLineError(await runCli(['audit', '--db', 'service=nope'], { env }), 2, /^bookops: --db: definition of service "nope" not found/);
    expect(psql('service=nope', env)).toMatch(/definition of service "nope" not found/);
    // A service file PGSERVICEFILE names but that is not there: named as such, as psql names it.
    const missing = join(home, 'missing.conf');
    expectOneLineError(await runCli(['audit'], { env: { ...env, PGSERVICE: 'x', PGSERVICEFILE: missing } }), 2, `bookops: PGSERVICE: service file "${missing}" not found`);
    expect(psql('service=x', { ...env, PGSERVICEFILE: missing })).toContain(`service file "${missing}" not found`);
  });
});

describe('connection strings as libpq reads them', () => {
  it('a server without TLS (the test servers): prefer, the default, connects plain; require is refused in one line, as psql refuses it', async () => {
    const url = new URL(t.url);
    const plain = await runCli(['migrate', 'status', '--verbose', '--db', url.toString()]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/over a plain connection/);
    url.searchParams.set('sslmode', 'require');
    const res = await runCli(['migrate', 'status', '--db', url.toString()]);
    expectOneLineError(res, 3, /: the server does not accept TLS, and the sslmode requires it$/);
    expect(psql(url.toString(), {})).toMatch(/server does not support SSL/);
  });

  const SECRET = 'Hunter2Secret';
  it.each([
    [`postgres://ops:${SECRET}%zz@db.example/booking`, /malformed percent-encoding in the password at character/],
    [`host=db.example user=ops PASSWORD=${SECRET}`, /unknown keyword 'PASSWORD' \(keywords are case-sensitive/],
    [`postgres://ops@db.example/booking?PASSWORD=${SECRET}`, /unknown query parameter 'PASSWORD'/],
    [`host=db.example password='${SECRET}`, /unterminated quoted value of password/],
    [`postgres://ops:${SECRET}/x@db.example/booking`, /port is not a number/],
    [`postgres://ops:${SECRET}@db@example/booking`, /'@' in the host name at character \d+ \(a password holding '@' must be written %40\)/],
    [`host=db.example password=${SECRET} sslmode=Require`, /sslmode is not one of/],
  ])('%s is refused in one line that repeats neither the string nor the password', async (db, message) => {
    const res = await runCli(['audit', '--db', db]);
    expectOneLineError(res, 2, message);
    expect(res.stderr).not.toContain(SECRET);
    expect(res.stderr).not.toContain(db);
  });

  it('the password file is read as libpq reads it, and ignored with a warning when others may read it', async () => {
    const { home } = dirs();
    const pgpass = join(home, '.pgpass');
    // the password runs to the first unescaped ':' (the rest of the line is ignored)
    writeFileSync(pgpass, `# bookops test\n${server.host}:${server.port}:*:${server.user}:${server.password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}:ignored\n`);
    chmodSync(pgpass, 0o600);
    const db = `host=${server.host} port=${server.port} dbname=${server.dbname} user=${server.user} sslmode=disable`;
    const ok = await runCli(['migrate', 'status', '--db', db], { env: { HOME: home } });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).not.toMatch(/warning/);

    chmodSync(pgpass, 0o644);
    const open = await runCli(['migrate', 'status', '--db', db], { env: { HOME: home } });
    expect(open.stderr).toMatch(/^warning: password file .*\.pgpass has group or world access; permissions should be u=rw \(0600\) or less$/m);
  });
});

describe('the process title', () => {
  let hang: Server;
  let port = 0;
  const sockets: Socket[] = [];
  let connected: () => void = () => undefined;
  beforeAll(async () => {
    // Accepts and says nothing: bookops waits in its connect while the test reads `ps`.
    hang = createServer((socket) => {
      sockets.push(socket);
      connected();
    });
    await new Promise<void>((resolve) => hang.listen(0, '127.0.0.1', resolve));
    port = (hang.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => hang.close(resolve));
  });

  it('does not show the password given with --db to `ps`', async () => {
    const secret = 'TitleSecret42';
    let pid = 0;
    const reachedServer = new Promise<void>((resolve) => (connected = resolve));
    const run = runCli(['audit', '--connect-timeout', '60s', '--db', `postgres://ops:${secret}@127.0.0.1:${port}/booking?sslmode=disable`], {
      onSpawn: (p) => (pid = p),
    });
    await reachedServer;
    const args = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    process.kill(pid, 'SIGKILL');
    await run;
    expect(args).toMatch(/^bookops audit --connect-timeout 60s --db postgres:\/\/ops:\*\*\*\*@127\.0\.0\.1:\d+\/booking\?sslmode=disable/);
    expect(args).not.toContain(secret);
  });
});
