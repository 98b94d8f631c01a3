/** src/config/target.ts: --db, DATABASE_URL, services and PG* read into a target as libpq would, no database. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExplicitTarget, resolveTargetString } from '../../src/config/target.js';

/** An empty home, so no ~/.pgpass, ~/.pg_service.conf or ~/.postgresql of the machine leaks in. */
function emptyHome(): string {
  return mkdtempSync(join(tmpdir(), 'bookops-home-'));
}
const HOME = emptyHome();
const resolve = (text: string | undefined, env: NodeJS.ProcessEnv = {}) =>
  resolveExplicitTarget(text, { HOME, PGSYSCONFDIR: HOME, ...env });

describe('targets', () => {
  it('prints user@host:port/db only', () => {
    const t = resolve('postgresql://ann:pa%40ss@db.local:6543/booking?sslmode=require')!;
    expect(t.label).toBe('ann@db.local:6543/booking');
    expect(t.spec).toMatchObject({ user: 'ann', password: 'pa@ss', port: 6543, ssl: { rejectUnauthorized: false } });
  });

  it('reads libpq keyword/value strings: quotes, escapes, spaces around =, hostaddr; refuses unknown keywords', () => {
    const t = resolve(
      String.raw`host=db.local hostaddr=10.0.0.5 port = 6544 dbname='book ings' user=ann password='it\'s a \\ secret' sslmode=require connect_timeout=7`,
    )!;
    expect(t.label).toBe('ann@10.0.0.5:6544/book ings');
    expect(t.spec).toMatchObject({ password: "it's a \\ secret", ssl: { rejectUnauthorized: false }, connectTimeoutMs: 7000 });
    expect(resolve('dbname=x', { PGHOST: 'envhost', PGUSER: 'u' })!.label).toBe('u@envhost:5432/x');
    expect(() => resolve('host=h sslmod=require')).toThrow(/unknown keyword 'sslmod'/);
    expect(() => resolve("host=h password='open")).toThrow(/unterminated quoted value of password/);
    expect(() => resolve('host=h port=x')).toThrow(/port is not a number from 1 to 65535/);
    expect(() => resolve('host=h connect_timeout=soon')).toThrow(/connect_timeout is not a whole number/);
  });

  it("reads a bare '?' or a trailing '&' as libpq does (the list ends), an empty parameter inside it as an error", () => {
    expect(resolve('postgres://u@h/d?')!.label).toBe('u@h:5432/d');
    expect(resolve('postgres://u@h/d?sslmode=disable&')!.spec.ssl).toBe(false);
    expect(() => resolve('postgres://u@h/d?&sslmode=disable')).toThrow(/query parameter at character 18 has no '='/);
  });

  it('keywords and sslmodes are case-sensitive, as in libpq', () => {
    expect(() => resolve('host=h PASSWORD=secret')).toThrow(/unknown keyword 'PASSWORD' \(keywords are case-sensitive/);
    expect(() => resolve('postgres://u@h/d?PASSWORD=secret')).toThrow(/unknown query parameter 'PASSWORD'/);
    expect(() => resolve('host=h sslmode=REQUIRE')).toThrow(/sslmode is not one of/);
  });

  it('reads a URL as libpq does: first @, + is a plus, strict percent-encoding, ssl=true, one host', () => {
    expect(resolve('postgres://u:a+b@h/d')!.spec.password).toBe('a+b');
    expect(resolve('postgres://u:%C3%A9t%C3%A9@h/d')!.spec.password).toBe('été');
    expect(resolve('postgres://u@[::1]:6000/d')!.spec).toMatchObject({ host: '::1', port: 6000 });
    expect(resolve('postgres://u@h/d?application_name=a+b')!.label).toBe('u@h:5432/d');
    expect(() => resolve('postgres://u:p%zz@h/d')).toThrow(/malformed percent-encoding in the password at character 15/);
    expect(() => resolve('postgres://u:p%4@h/d')).toThrow(/malformed percent-encoding/);
    expect(() => resolve('postgres://u@h/d%00x')).toThrow(/%00 is not allowed/);
    expect(() => resolve('postgres://u:sec@ret@h/d')).toThrow(/'@' in the host name .* must be written %40/);
    expect(() => resolve('postgres://u@h1,h2/d')).toThrow(/several hosts/);
    expect(() => resolve('host=h1,h2 dbname=d')).toThrow(/several hosts/);
    expect(() => resolve(undefined, { PGHOST: 'h1,h2' })).toThrow(/several hosts/);
    expect(() => resolve('postgres://u@h/d?sslmode')).toThrow(/has no '='/);
    expect(resolve('postgres://u@h/d?ssl=true')!.spec.ssl).toMatchObject({ rejectUnauthorized: false });
    expect(() => resolve('postgres://u@h/d?ssl=yes')).toThrow(/only ssl=true/);
  });

  it('never repeats the string it was given in an error', () => {
    const secret = 'Sup3rS3cret';
    const bad = [
      `postgres://u:${secret}%zz@h/d`,
      `postgres://u:${secret}/x@h/d`,
      `host=h password='${secret}`,
      `host=h password=${secret} dbname=d PORT=1`,
      `postgres://u:${secret}@h/d?sslmode=bogus`,
      `postgres://u:${secret}@h/d?password=x&nope=1`,
      `postgres://u:${secret}@h:99999/d`,
      `host=h password=${secret} sslmode=verify-full sslrootcert=/nonexistent/root.crt`,
    ];
    for (const text of bad) {
      let message = '';
      try {
        resolve(text);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, text).toMatch(/^--db: /);
      expect(message, text).not.toContain(secret);
      expect(message, text).not.toContain(text);
    }
  });

  it('a URL port out of range is said to be the port, not a malformed URL, and the URL is not repeated', () => {
    for (const url of ['postgres://u:pw@h:99999/d', 'postgres://[::1]:70000/d', 'postgres://h:0/d', 'postgres://h:5432:1/d']) {
      expect(() => resolveExplicitTarget(url, {}), url).toThrow(/^--db: port is not a number from 1 to 65535$/);
    }
    expect(resolveExplicitTarget('postgres://u@h:65535/d', {})!.label).toBe('u@h:65535/d');
  });

  it('reads ?dbname= and ?hostaddr= of a URL as libpq does', () => {
    expect(resolve('postgresql://u@h:5432/?dbname=booking')!.label).toBe('u@h:5432/booking');
    expect(resolve('postgresql://u@h:5432/path?dbname=booking')!.label).toBe('u@h:5432/booking');
    const t = resolve('postgresql://u@db.local/x?hostaddr=10.0.0.5&sslmode=require')!;
    expect(t.spec).toMatchObject({ host: '10.0.0.5', ssl: { servername: 'db.local' } });
  });

  it('resolves --db, then DATABASE_URL, then PG* and PGSERVICE, else nothing (the embedded cluster)', () => {
    const env = { DATABASE_URL: 'postgres://e@envhost/envdb', PGHOST: 'pghost', PGDATABASE: 'pgdb' };
    expect(resolve('postgres://f@flaghost/flagdb', env)?.label).toBe('f@flaghost:5432/flagdb');
    expect(resolve(undefined, env)?.label).toBe('e@envhost:5432/envdb');
    expect(resolve(undefined, { PGHOST: 'pghost', PGDATABASE: 'pgdb', PGUSER: 'p' })?.label).toBe('p@pghost:5432/pgdb');
    expect(resolve(undefined, {})).toBeNull();
    expect(() => resolve(undefined, { PGSERVICE: 'missing' })).toThrow(/^PGSERVICE: definition of service "missing" not found/);
  });

  it('takes the password from the string, then the service, then PGPASSWORD, then the password file', () => {
    const home = emptyHome();
    const pgpass = join(home, '.pgpass');
    writeFileSync(pgpass, 'h:5432:d:u:from-file\n', { mode: 0o600 });
    const env = { HOME: home, PGSYSCONFDIR: home };
    expect(resolveExplicitTarget('postgres://u:given@h/d', { ...env, PGPASSWORD: 'env' })!.spec.password).toBe('given');
    expect(resolveExplicitTarget('postgres://u@h/d', { ...env, PGPASSWORD: 'env' })!.spec.password).toBe('env');
    expect(resolveExplicitTarget('postgres://u@h/d', env)!.spec.password).toBe('from-file');
    // passfile= names another file; it does not beat PGPASSWORD (libpq reads a file only when no password is given)
    const other = join(home, 'other');
    writeFileSync(other, '*:*:*:*:other\n', { mode: 0o600 });
    expect(resolveExplicitTarget(`host=h dbname=d user=u passfile=${other}`, env)!.spec.password).toBe('other');
    expect(resolveExplicitTarget(`host=h dbname=d user=u passfile=${other}`, { ...env, PGPASSWORD: 'env' })!.spec.password).toBe('env');
  });

  it('resolveTargetString names the target it was given in errors (for named targets)', () => {
    expect(() => resolveTargetString('host=h sslmode=nope', { where: "target 'prod'", env: { HOME } })).toThrow(/^target 'prod': sslmode/);
  });
});
