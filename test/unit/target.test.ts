/** src/config/target.ts: --db, DATABASE_URL and PG* read into a target as libpq would, no database. */
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, resolveExplicitTarget } from '../../src/config/target.js';

describe('targets', () => {
  it('prints user@host:port/db only', () => {
    const t = parseDatabaseUrl('postgresql://ann:pa%40ss@db.local:6543/booking?sslmode=require', 'flag');
    expect(t.label).toBe('ann@db.local:6543/booking');
    expect(t.spec).toMatchObject({ user: 'ann', password: 'pa@ss', port: 6543, ssl: { rejectUnauthorized: false } });
  });

  it('reads libpq keyword/value strings: quotes, escapes, spaces around =, hostaddr; refuses unknown keywords', () => {
    const t = resolveExplicitTarget(
      String.raw`host=db.local hostaddr=10.0.0.5 port = 6544 dbname='book ings' user=ann password='it\'s a \\ secret' sslmode=require connect_timeout=7`,
      {},
    )!;
    expect(t.label).toBe('ann@10.0.0.5:6544/book ings');
    expect(t.spec).toMatchObject({ password: "it's a \\ secret", ssl: { rejectUnauthorized: false }, connectTimeoutMs: 7000 });
    expect(resolveExplicitTarget('dbname=x', { PGHOST: 'envhost', PGUSER: 'u' })!.label).toBe('u@envhost:5432/x');
    expect(() => resolveExplicitTarget('host=h sslmod=require', {})).toThrow(/unknown keyword 'sslmod'/);
    expect(() => resolveExplicitTarget("host=h password='open", {})).toThrow(/unterminated quoted value of password/);
    expect(() => resolveExplicitTarget('host=h port=x', {})).toThrow(/port 'x' is not a number/);
  });

  it('TLS as libpq means it; a mistyped sslmode or an unknown URL parameter is an error, never "no TLS"', () => {
    const ssl = (url: string, env: NodeJS.ProcessEnv = {}) => resolveExplicitTarget(url, env)!.spec.ssl;
    expect(ssl('postgres://u@h/d')).toBe(false);
    expect(ssl('postgres://u@h/d?sslmode=prefer')).toBe(false);
    expect(ssl('postgres://u@h/d?sslmode=require')).toMatchObject({ rejectUnauthorized: false });
    expect(ssl('postgres://u@h/d?ssl=true')).toMatchObject({ rejectUnauthorized: false });
    expect(ssl('postgres://u@h/d?ssl=true&sslmode=verify-full')).toEqual({ rejectUnauthorized: true });
    expect(ssl('host=h sslmode=verify-ca')).toMatchObject({ rejectUnauthorized: true, checkServerIdentity: expect.any(Function) });
    expect(ssl('host=h', { PGSSLMODE: 'require' })).toMatchObject({ rejectUnauthorized: false });
    // hostaddr is where we connect; the host name is what TLS verifies
    expect(ssl('host=db.local hostaddr=10.0.0.5 sslmode=verify-full')).toEqual({ rejectUnauthorized: true, servername: 'db.local' });
    expect(() => ssl('host=h sslmode=verify_full')).toThrow(/sslmode 'verify_full' is not one of disable, allow, prefer, require/);
    expect(() => ssl('postgres://u@h/d?sslmode=requre')).toThrow(/sslmode 'requre'/);
    expect(() => ssl('postgres://u@h/d?sslmod=require')).toThrow(/unknown parameter 'sslmod'/);
    expect(() => ssl('postgres://u@h/d?ssl=yes')).toThrow(/ssl 'yes' is not true or false/);
    expect(() => resolveExplicitTarget(undefined, { PGHOST: 'h', PGSSLMODE: 'bogus' })).toThrow(/PG\* environment variables: sslmode 'bogus'/);
    expect(() => ssl('host=h sslmode=verify-ca sslrootcert=/nonexistent/ca.pem')).toThrow(/cannot read sslrootcert \/nonexistent\/ca\.pem: ENOENT/);
  });

  it('a URL port out of range is said to be the port, not a malformed URL', () => {
    expect(() => resolveExplicitTarget('postgres://u:pw@h:99999/d', {})).toThrow(/invalid database URL 'postgres:\/\/u:\*\*\*\*@h:99999\/d': port '99999' is not a number from 1 to 65535$/);
    expect(() => resolveExplicitTarget('postgres://[::1]:70000/d', {})).toThrow(/port '70000' is not a number from 1 to 65535/);
    expect(() => resolveExplicitTarget('postgres://h:0/d', {})).toThrow(/port '0' is not a number from 1 to 65535/);
    expect(() => resolveExplicitTarget('postgres://h:5432:1/d', {})).toThrow(/port '5432:1' is not a number/);
    expect(() => resolveExplicitTarget('postgres://h^/d', {})).toThrow(/it is not a well-formed URL/);
    expect(resolveExplicitTarget('postgres://u@h:65535/d', {})!.label).toBe('u@h:65535/d');
  });

  it('reads ?dbname= and ?hostaddr= of a URL as libpq does', () => {
    expect(resolveExplicitTarget('postgresql://u@h:5432/?dbname=booking', {})!.label).toBe('u@h:5432/booking');
    expect(resolveExplicitTarget('postgresql://u@h:5432/path?dbname=booking', {})!.label).toBe('u@h:5432/booking');
    const t = resolveExplicitTarget('postgresql://u@db.local/x?hostaddr=10.0.0.5&sslmode=verify-full', {})!;
    expect(t.spec).toMatchObject({ host: '10.0.0.5', ssl: { servername: 'db.local' } });
  });

  it('resolves --db, then DATABASE_URL, then PG*, else nothing (the embedded cluster)', () => {
    const env = { DATABASE_URL: 'postgres://e@envhost/envdb', PGHOST: 'pghost', PGDATABASE: 'pgdb' };
    expect(resolveExplicitTarget('postgres://f@flaghost/flagdb', env)?.label).toBe('f@flaghost:5432/flagdb');
    expect(resolveExplicitTarget(undefined, env)?.label).toBe('e@envhost:5432/envdb');
    expect(resolveExplicitTarget(undefined, { PGHOST: 'pghost', PGDATABASE: 'pgdb', PGUSER: 'p' })?.label).toBe('p@pghost:5432/pgdb');
    expect(resolveExplicitTarget(undefined, {})).toBeNull();
  });
});
