/** Pure helpers the runner and the CLI stand on (no database). */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { Writable } from 'node:stream';
import { Output } from '../../src/cli/output.js';
import { startProgress } from '../../src/cli/progress.js';
import { parseDuration } from '../../src/config/duration.js';
import { describeTarget, redactSecrets, registerSecret } from '../../src/config/redact.js';
import { parseDatabaseUrl, resolveExplicitTarget } from '../../src/config/target.js';
import { clientConfig, DEFAULT_SESSION } from '../../src/data/connect.js';
import { parseMigration } from '../../src/migrate/migration-file.js';
import { substitute } from '../../src/migrate/render.js';
import { backoffDelay } from '../../src/migrate/retry.js';
import { canonicalCondition, whenClause } from '../../src/audit/chats/when-condition.js';
import { splitStatements } from '../../src/migrate/split-statements.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, dollar bodies and comments, keeping leading comments', () => {
    const sql = [
      "-- squawk-ignore x",
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"we;ird\");",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      '/* block ; /* nested ; */ still */ SELECT 2;',
      '-- only a comment;',
    ].join('\n');
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.sql)).toEqual([
      "-- squawk-ignore x\nINSERT INTO t VALUES ('a;b', E'it\\'s;', \"we;ird\")",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$',
      '/* block ; /* nested ; */ still */ SELECT 2',
    ]);
    expect(parts.map((p) => p.line)).toEqual([1, 3, 4]);
  });
});

describe('migration files', () => {
  it('parses header, directives, preflight, up and down', () => {
    const m = parseMigration(
      '0007_x.sql',
      '/x',
      '-- Does a thing.\n--\n-- Details.\n-- bookops:requires-tables a, b\n-- migrate:preflight rows that break it\nSELECT 1;\n-- migrate:up transaction:false\nSELECT 2;\nSELECT 3;\n-- migrate:down\nSELECT 4;\n',
    );
    expect(m).toMatchObject({
      description: 'Does a thing.',
      transactional: false,
      directives: { 'requires-tables': 'a, b' },
      preflight: { description: 'rows that break it', sql: 'SELECT 1', line: 6 },
    });
    expect(m.up.map((s) => s.sql)).toEqual(['SELECT 2', 'SELECT 3']);
    expect(m.down?.map((s) => s.sql)).toEqual(['SELECT 4']);
  });

  it('parses a down-preflight, and leaves it out of the checksum (adding one does not edit an applied migration)', () => {
    const base = '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\nDROP TABLE t;\n';
    const withCheck = '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down-preflight rows in t\nSELECT * FROM t;\n\n-- migrate:down\nDROP TABLE t;\n';
    const m = parseMigration('0002_x.sql', '/x', withCheck);
    expect(m.downPreflight).toEqual({ description: 'rows in t', sql: 'SELECT * FROM t', line: 4 });
    expect(m.down?.map((s) => s.sql)).toEqual(['DROP TABLE t']);
    expect(m.checksum).toBe(parseMigration('0002_x.sql', '/x', base).checksum);
    // Any other edit is one.
    expect(parseMigration('0002_x.sql', '/x', base.replace('DROP TABLE t', 'DROP TABLE t CASCADE')).checksum).not.toBe(m.checksum);
    expect(() => parseMigration('0002_x.sql', '/x', withCheck.replace('SELECT * FROM t;', 'SELECT 1; SELECT 2;'))).toThrow(/down-preflight section must hold exactly one query/);
  });

  it('refuses bookops:repeat inside a transactional migration', () => {
    expect(() => parseMigration('0001_x.sql', '/x', '-- migrate:up\n-- bookops:repeat\nUPDATE t SET a = 1;\n')).toThrow(/outside a transaction/);
  });
});

describe('substitute', () => {
  it('quotes identifiers, literals and lists, and refuses unknown names', () => {
    expect(substitute(`SELECT :"col" FROM t WHERE s IN (:'list') AND n = :'name' AND x::text = 'a'`, { col: 'we"ird', list: ['a', "b'c"], name: 'n' }, 'f'))
      .toBe(`SELECT "we""ird" FROM t WHERE s IN ('a', 'b''c') AND n = 'n' AND x::text = 'a'`);
    expect(() => substitute(`SELECT :"nope"`, {}, 'f.sql:3')).toThrow(/f\.sql:3: no value for :"nope"/);
  });
});

describe('targets and secrets', () => {
  it('prints user@host:port/db only', () => {
    const t = parseDatabaseUrl('postgresql://ann:pa%40ss@db.local:6543/booking?sslmode=require', 'flag');
    expect(t.label).toBe('ann@db.local:6543/booking');
    expect(t.spec).toMatchObject({ user: 'ann', password: 'pa@ss', port: 6543, ssl: { rejectUnauthorized: false } });
  });

  it('masks passwords in URLs, query strings, conninfo and anything registered', () => {
    registerSecret('hunter22');
    expect(redactSecrets('postgres://u:p%40ss@h/db')).toBe('postgres://u:****@h/db');
    expect(redactSecrets('postgres://u@h/db?sslmode=require&password=x1')).toBe('postgres://u@h/db?sslmode=require&password=****');
    expect(redactSecrets("host=h password='a b' user=u")).toBe('host=h password=**** user=u');
    expect(redactSecrets('postgres://u@h/db?sslpassword=k3y&x=1')).toBe('postgres://u@h/db?sslpassword=****&x=1');
    expect(redactSecrets("host=h sslpassword='k e y' user=u")).toBe('host=h sslpassword=**** user=u');
    // libpq reads an unquoted value to the next space, quotes included; a masked string quoted in a message keeps its quote
    expect(redactSecrets("password=abc'd host=x")).toBe('password=**** host=x');
    expect(redactSecrets(`invalid '${redactSecrets('host=x password=s3cr3t')}': oops`)).toBe("invalid 'host=x password=****': oops");
    expect(redactSecrets('failed with hunter22 inside')).toBe('failed with **** inside');
    expect(describeTarget({ user: 'u', host: 'h', port: 1, database: 'd' })).toBe('u@h:1/d');
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

  it('reads ?dbname= and ?hostaddr= of a URL as libpq does', () => {
    expect(resolveExplicitTarget('postgresql://u@h:5432/?dbname=booking', {})!.label).toBe('u@h:5432/booking');
    expect(resolveExplicitTarget('postgresql://u@h:5432/path?dbname=booking', {})!.label).toBe('u@h:5432/booking');
    const t = resolveExplicitTarget('postgresql://u@db.local/x?hostaddr=10.0.0.5&sslmode=verify-full', {})!;
    expect(t.spec).toMatchObject({ host: '10.0.0.5', ssl: { servername: 'db.local' } });
  });

  it('every client config carries the client key, even after pg has hidden it on an earlier one', async () => {
    const spec = { host: 'h', port: 1, user: 'u', database: 'd', ssl: { rejectUnauthorized: false, key: Buffer.from('KEY'), cert: Buffer.from('CERT') } };
    const session = { ...DEFAULT_SESSION, connectTimeoutMs: 1000 };
    new pg.Client(clientConfig(spec, session, true)); // pg makes `key` non-enumerable on what it gets
    const next = clientConfig(spec, session, true);
    expect(Object.keys(next.ssl as object)).toContain('key');
    expect(structuredClone(next.ssl)).toMatchObject({ key: expect.anything() }); // survives a deep copy, as Knex makes
  });

  it('resolves --db, then DATABASE_URL, then PG*, else nothing (the embedded cluster)', () => {
    const env = { DATABASE_URL: 'postgres://e@envhost/envdb', PGHOST: 'pghost', PGDATABASE: 'pgdb' };
    expect(resolveExplicitTarget('postgres://f@flaghost/flagdb', env)?.label).toBe('f@flaghost:5432/flagdb');
    expect(resolveExplicitTarget(undefined, env)?.label).toBe('e@envhost:5432/envdb');
    expect(resolveExplicitTarget(undefined, { PGHOST: 'pghost', PGDATABASE: 'pgdb', PGUSER: 'p' })?.label).toBe('p@pghost:5432/pgdb');
    expect(resolveExplicitTarget(undefined, {})).toBeNull();
  });
});

describe('durations and backoff', () => {
  it('parses durations and rejects nonsense', () => {
    expect(parseDuration('1s', 'x')).toBe(1000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('250', 'x')).toBe(250);
    expect(() => parseDuration('soon', '--older-than')).toThrow(/--older-than: invalid duration 'soon'/);
    // Longer is a typo, and overflows now() - interval in the queries (exit 7 instead of 2).
    expect(() => parseDuration('99999999d', '--older-than')).toThrow(/--older-than: duration '99999999d' is longer than 100 years/);
    expect(() => parseDuration(String(10 ** 13), '--older-than')).toThrow(/longer than 100 years/);
    expect(parseDuration('36500d', '--older-than')).toBe(36500 * 86_400_000);
  });

  it('backs off exponentially with jitter, capped', () => {
    const opts = { attempts: 8, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
  });
});

describe('progress on a terminal', () => {
  /** A terminal stderr that keeps what is drawn on it. */
  class FakeTerminal extends Writable {
    isTTY = true;
    columns = 80;
    drawn = '';
    override _write(chunk: unknown, _encoding: BufferEncoding, done: () => void): void {
      this.drawn += String(chunk);
      done();
    }
    clearLine = () => true;
    cursorTo = () => true;
    moveCursor = () => true;
  }

  it('is drawn without colour under NO_COLOR (ora and log-symbols colour it otherwise)', async () => {
    const stderr = new FakeTerminal();
    const out = new Output({ json: false, quiet: false, verbose: false, color: true, env: { NO_COLOR: '1' }, stderr: stderr as unknown as NodeJS.WriteStream });
    const progress = await startProgress(out, 'backfilling');
    progress.update(1, 2);
    progress.succeed('10 rooms created');
    expect(stderr.drawn).toContain('✔ 10 rooms created');
    expect(stderr.drawn).not.toMatch(/\x1b\[(3|9)\dm/);
  });
});

describe('trigger WHEN conditions', () => {
  // What PostgreSQL prints back (pg_get_triggerdef) for what a migration writes.
  const stored =
    "CREATE TRIGGER t AFTER UPDATE OF status ON public.bookings FOR EACH ROW WHEN (((lower((new.status)::text) = 'active'::text) AND " +
    '((lower((old.status)::text) IS DISTINCT FROM lower((new.status)::text)) OR (old.deleted_at IS NOT NULL)))) EXECUTE FUNCTION f()';
  const written = "lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)";

  it('compares what Postgres stores with what the migration wrote: casts, case, parentheses and whitespace aside', () => {
    expect(whenClause(stored)).toMatch(/^\(\(lower\(\(new\.status\)::text\) = 'active'::text\) AND .*IS NOT NULL\)\)\)$/);
    expect(canonicalCondition(whenClause(stored)!)).toBe(canonicalCondition(written));
    expect(canonicalCondition("(a)::character varying(5) = 'x'::timestamp without time zone")).toBe(canonicalCondition("a = 'x'"));
    expect(whenClause('CREATE TRIGGER t AFTER INSERT ON b FOR EACH ROW EXECUTE FUNCTION f()')).toBeUndefined();
    expect(whenClause("... WHEN (new.s = ')(') EXECUTE FUNCTION f()")).toBe("new.s = ')('");
  });

  it('tells different conditions apart', () => {
    for (const other of [
      'false',
      "lower(NEW.status) = 'ACTIVE' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)",
      "lower(NEW.status) = 'active' AND lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL",
      "lower(NEW.status) = 'active' AND (lower(OLD.status) IS NOT DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)",
      "lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NULL)",
      "NOT (lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL))",
    ]) {
      expect(canonicalCondition(other), other).not.toBe(canonicalCondition(written));
    }
    expect(canonicalCondition('a AND b OR c')).not.toBe(canonicalCondition('a AND (b OR c)'));
    expect(canonicalCondition('x IN (1, 2)')).toBeUndefined();
  });
});
