/** libpq's service files: PGSERVICE, service=, ?service=, PGSERVICEFILE, ~/.pg_service.conf, PGSYSCONFDIR. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveExplicitTarget } from '../../src/config/target.js';

function dirs() {
  const root = mkdtempSync(join(tmpdir(), 'bookops-svc-'));
  const home = join(root, 'home');
  const sys = join(root, 'etc');
  mkdirSync(home);
  mkdirSync(sys);
  return { root, home, sys };
}

describe('service files', () => {
  it('PGSERVICE, service= and ?service= read the user file; explicit keywords > service > PG* > defaults', () => {
    const { home, sys } = dirs();
    writeFileSync(
      join(home, '.pg_service.conf'),
      ['# a comment', '[other]', 'host=wrong', '', '[booking]', 'host=db.svc', 'port=6001', 'dbname=booking', 'user=ops', 'password=svc-secret', '[after]', 'host=wrong2'].join('\n'),
    );
    const env = { HOME: home, PGSYSCONFDIR: sys };
    expect(resolveExplicitTarget(undefined, { ...env, PGSERVICE: 'booking' })!.label).toBe('ops@db.svc:6001/booking');
    expect(resolveExplicitTarget('service=booking', env)!.spec).toMatchObject({ host: 'db.svc', password: 'svc-secret' });
    expect(resolveExplicitTarget('postgres://h2/?service=booking', env)!.label).toBe('ops@h2:6001/booking');
    // the string's own keywords win over the service's; the service wins over PG*
    expect(resolveExplicitTarget('service=booking dbname=other', { ...env, PGPORT: '7000', PGHOST: 'envhost' })!.label).toBe('ops@db.svc:6001/other');
    // PG* fills what neither gives
    expect(resolveExplicitTarget('service=booking', { ...env, PGSSLMODE: 'require' })!.spec.ssl).toMatchObject({ rejectUnauthorized: false });
  });

  it('PGSERVICEFILE replaces ~/.pg_service.conf; the system file is read only when the user file lacks the service', () => {
    const { root, home, sys } = dirs();
    writeFileSync(join(home, '.pg_service.conf'), '[a]\nhost=home-a\n');
    writeFileSync(join(sys, 'pg_service.conf'), '[a]\nhost=sys-a\nport=6100\n[b]\nhost=sys-b\n');
    const custom = join(root, 'custom.conf');
    writeFileSync(custom, '[a]\nhost=custom-a\n');
    const env = { HOME: home, PGSYSCONFDIR: sys, PGUSER: 'u', PGDATABASE: 'd' };
    // the user file has [a]: the system file is not read for it, not even for its port
    expect(resolveExplicitTarget('service=a', env)!.label).toBe('u@home-a:5432/d');
    expect(resolveExplicitTarget('service=b', env)!.label).toBe('u@sys-b:5432/d');
    expect(resolveExplicitTarget('service=a', { ...env, PGSERVICEFILE: custom })!.label).toBe('u@custom-a:5432/d');
    // A file PGSERVICEFILE names must exist (libpq opens it without looking further; psql 15:
    // 'service file "…" not found'); only the default ~/.pg_service.conf may be absent.
    expect(() => resolveExplicitTarget('service=a', { ...env, PGSERVICEFILE: join(root, 'missing.conf') })).toThrow(`service file "${join(root, 'missing.conf')}" not found`);
  });

  it('a service that is not found, or a bad line in it, is one line naming the service or the line, never its text', () => {
    const { home, sys } = dirs();
    writeFileSync(join(home, '.pg_service.conf'), '[bad]\nhost=h\npassword:leaky-secret\n[nested]\nservice=bad\n[upper]\nHOST=h\n');
    const env = { HOME: home, PGSYSCONFDIR: sys };
    expect(() => resolveExplicitTarget('service=nope', env)).toThrow(/^--db: definition of service "nope" not found \(looked in .*\.pg_service\.conf and .*pg_service\.conf\)$/);
    expect(() => resolveExplicitTarget(undefined, { ...env, PGSERVICE: 'nope' })).toThrow(/^PGSERVICE: definition of service "nope" not found/);
    let message = '';
    try {
      resolveExplicitTarget('service=bad', env);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/service file .*\.pg_service\.conf, line 3: expected keyword=value/);
    expect(message).not.toContain('leaky');
    expect(() => resolveExplicitTarget('service=nested', env)).toThrow(/nested service specifications are not supported/);
    expect(() => resolveExplicitTarget('service=upper', env)).toThrow(/line 7: keyword 'HOST' is not one bookops reads \(keywords are case-sensitive\)/);
  });
});
