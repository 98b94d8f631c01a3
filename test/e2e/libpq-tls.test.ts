/**
 * TLS as libpq means it, against a throwaway ssl=on cluster (test/fixtures/tls-cluster.ts), each
 * case beside what psql 15 (the system's libpq) does with the same string and the same HOME:
 * - require verifies the server against a root certificate when one is there (sslrootcert, or
 *   ~/.postgresql/root.crt): libpq's verify-ca rule; without one it does not check;
 * - verify-ca insists on a root certificate; verify-full also checks the host name;
 * - prefer tries TLS first and falls back to plain; allow tries plain first; disable never TLS;
 * - sslcert/sslkey (or ~/.postgresql/postgresql.crt/.key) log in with a client certificate, and a
 *   key others can read is refused;
 * - and, on the same cluster, password logins: from the password file as libpq reads it, or none
 *   (one line, for scram, md5 and clear-text alike; pg's own pgpass fallback is never used).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../fixtures/cli.js';
import { startTlsCluster, type TlsCluster } from '../fixtures/tls-cluster.js';

/** psql on PATH (Debian's postgresql-client; .ci/run installs it): the libpq we compare with. */
const PSQL = 'psql';

let cluster: TlsCluster;
beforeAll(async () => {
  cluster = await startTlsCluster();
}, 180_000);
afterAll(async () => cluster?.stop());

/** A HOME of its own, with ~/.postgresql holding the given files. */
function home(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bookops-tls-home-'));
  mkdirSync(join(dir, '.postgresql'));
  for (const [name, from] of Object.entries(files)) {
    copyFileSync(from, join(dir, '.postgresql', name));
    chmodSync(join(dir, '.postgresql', name), 0o600);
  }
  return dir;
}

function conninfo(extra: string, user = 'postgres'): string {
  return `host=127.0.0.1 port=${cluster.port} dbname=postgres user=${user} connect_timeout=10 ${extra}`;
}

/** How bookops connected: 'verified', 'unverified', 'plain', or the exit code when it could not. */
async function bookops(info: string, homeDir: string): Promise<string | number> {
  const res: CliResult = await runCli(['migrate', 'status', '--verbose', '--db', info], { env: { HOME: homeDir } });
  if (res.code !== 0) return res.code ?? -1;
  if (/over TLS \(server certificate verified\)/.test(res.stderr)) return 'verified';
  if (/over TLS \(server certificate not checked\)/.test(res.stderr)) return 'unverified';
  if (/over a plain connection/.test(res.stderr)) return 'plain';
  throw new Error(`no connection line in:\n${res.stderr}`);
}

/** What psql says: 'tls' or 'plain' when it connects, 'refused' when it does not. */
function psql(info: string, homeDir: string): string {
  const res = spawnSync(PSQL, [info, '-XAtc', 'SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()'], {
    env: { PATH: process.env.PATH, HOME: homeDir },
    encoding: 'utf8',
  });
  if (res.status !== 0) return 'refused';
  return res.stdout.trim() === 't' ? 'tls' : 'plain';
}

async function both(info: string, homeDir: string): Promise<{ bookops: string | number; psql: string }> {
  return { bookops: await bookops(info, homeDir), psql: psql(info, homeDir) };
}

describe('TLS as libpq', () => {
  it('require without a root certificate: TLS, the certificate not checked', async () => {
    expect(await both(conninfo('sslmode=require'), home())).toEqual({ bookops: 'unverified', psql: 'tls' });
  });

  it('require with a root certificate (sslrootcert or ~/.postgresql/root.crt) verifies the server against it', async () => {
    // not signed by that root: both refuse
    expect(await both(conninfo(`sslmode=require sslrootcert=${cluster.otherCa}`), home())).toEqual({ bookops: 3, psql: 'refused' });
    expect(await both(conninfo('sslmode=require'), home({ 'root.crt': cluster.otherCa }))).toEqual({ bookops: 3, psql: 'refused' });
    const refused = await runCli(['migrate', 'status', '--db', conninfo(`sslmode=require sslrootcert=${cluster.otherCa}`)], { env: { HOME: home() } });
    expect(refused.stderr).toMatch(/^bookops: cannot connect to postgres@127\.0\.0\.1:\d+\/postgres: the server's TLS certificate does not verify: self-signed certificate in certificate chain \(/);
    // signed by it: both accept
    expect(await both(conninfo(`sslmode=require sslrootcert=${cluster.ca}`), home())).toEqual({ bookops: 'verified', psql: 'tls' });
    expect(await both(conninfo('sslmode=require'), home({ 'root.crt': cluster.ca }))).toEqual({ bookops: 'verified', psql: 'tls' });
  });

  it('verify-ca needs a root certificate; verify-full also checks the host name, not the address', async () => {
    const noRoot = await runCli(['migrate', 'status', '--db', conninfo('sslmode=verify-ca')], { env: { HOME: home() } });
    expect(noRoot.code).toBe(2);
    expect(noRoot.stderr).toMatch(/^bookops: --db: root certificate file .*\/\.postgresql\/root\.crt does not exist \(sslmode=verify-ca/);
    expect(psql(conninfo('sslmode=verify-ca'), home())).toBe('refused');

    const withRoot = home({ 'root.crt': cluster.ca });
    expect(await both(conninfo('sslmode=verify-ca'), withRoot)).toEqual({ bookops: 'verified', psql: 'tls' });
    const named = (host: string, mode: string) =>
      `host=${host} hostaddr=127.0.0.1 port=${cluster.port} dbname=postgres user=postgres sslmode=${mode}`;
    expect(await both(named('localhost', 'verify-full'), withRoot)).toEqual({ bookops: 'verified', psql: 'tls' });
    expect(await both(named('wrong.example', 'verify-full'), withRoot)).toEqual({ bookops: 3, psql: 'refused' });
    expect(await both(named('wrong.example', 'verify-ca'), withRoot)).toEqual({ bookops: 'verified', psql: 'tls' });
    expect(await both(conninfo(`sslmode=verify-full sslrootcert=${cluster.otherCa}`), home())).toEqual({ bookops: 3, psql: 'refused' });
  });

  it('prefer tries TLS first and falls back to plain; allow the other way round; disable and require do not fall back', async () => {
    const h = home();
    expect(await both(conninfo('sslmode=prefer'), h)).toEqual({ bookops: 'unverified', psql: 'tls' });
    expect(await both(conninfo(''), h)).toEqual({ bookops: 'unverified', psql: 'tls' }); // prefer is the default
    expect(await both(conninfo('sslmode=prefer', 'plainonly'), h)).toEqual({ bookops: 'plain', psql: 'plain' });
    // a root certificate that did not sign the server: prefer gives up on TLS, and connects plain
    expect(await both(conninfo('sslmode=prefer'), home({ 'root.crt': cluster.otherCa }))).toEqual({ bookops: 'plain', psql: 'plain' });
    expect(await both(conninfo('sslmode=allow'), h)).toEqual({ bookops: 'plain', psql: 'plain' });
    expect(await both(conninfo('sslmode=allow', 'sslonly'), h)).toEqual({ bookops: 'unverified', psql: 'tls' });
    expect(await both(conninfo('sslmode=disable', 'sslonly'), h)).toEqual({ bookops: 3, psql: 'refused' });
    expect(await both(conninfo('sslmode=require', 'plainonly'), h)).toEqual({ bookops: 3, psql: 'refused' });
  });

  it('a client certificate logs in (sslcert/sslkey, or ~/.postgresql/postgresql.crt/.key); a key others can read is refused', async () => {
    const h = home();
    const explicit = conninfo(`sslmode=require sslcert=${cluster.clientCert} sslkey=${cluster.clientKey}`, 'certuser');
    expect(await both(explicit, h)).toEqual({ bookops: 'unverified', psql: 'tls' });
    expect(await both(conninfo('sslmode=require', 'certuser'), h)).toEqual({ bookops: 3, psql: 'refused' });
    const defaults = home({ 'postgresql.crt': cluster.clientCert, 'postgresql.key': cluster.clientKey, 'root.crt': cluster.ca });
    expect(await both(conninfo('sslmode=verify-full', 'certuser').replace('127.0.0.1', 'localhost'), defaults)).toEqual({ bookops: 'verified', psql: 'tls' });

    chmodSync(join(defaults, '.postgresql', 'postgresql.key'), 0o644);
    const open = await runCli(['migrate', 'status', '--db', conninfo('sslmode=require', 'certuser')], { env: { HOME: defaults } });
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/^bookops: --db: private key file .*postgresql\.key has group or world access/);
    expect(psql(conninfo('sslmode=require', 'certuser'), defaults)).toBe('refused');
  });

  it('a password from the password file, or none: one line, as psql (the same for scram, md5 and a clear-text password)', async () => {
    for (const user of ['scramuser', 'md5user', 'clearuser']) {
      const h = home();
      expect(await both(conninfo('sslmode=disable', user), h), user).toEqual({ bookops: 3, psql: 'refused' });
      const none = await runCli(['migrate', 'status', '--db', conninfo('sslmode=disable', user)], { env: { HOME: h } });
      expect(none.stderr.trim(), user).toMatch(new RegExp(`^bookops: cannot log in to ${user}@127\\.0\\.0\\.1:\\d+/postgres: the server asks for a password and none was given$`));
      // the password runs to the first unescaped ':'; a line for another port does not match
      writeFileSync(join(h, '.pgpass'), `127.0.0.1:1:*:*:wrong\n127.0.0.1:${cluster.port}:postgres:${user}:secret-of-${user}:trailing:fields\n`, { mode: 0o600 });
      expect(await both(conninfo('sslmode=disable', user), h), user).toEqual({ bookops: 'plain', psql: 'plain' });
    }
  });
});
