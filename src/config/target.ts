/**
 * Which database a command talks to, in this order: --db <url>, DATABASE_URL, the libpq PG*
 * variables, else the embedded cluster (resolved by the caller, see src/embedded/target.ts).
 * --db and DATABASE_URL take a postgres:// URL or a libpq keyword/value string.
 *
 * We parse URLs ourselves and hand pg explicit fields: pg does not read DATABASE_URL, and a
 * connectionString would silently override the session settings we add.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseConnectionString } from 'pg-connection-string';
import { UsageError } from '../errors.js';
import { looksLikeConninfo, parseConninfo } from './conninfo.js';
import { lookupPgpass } from './pgpass.js';
import { describeTarget, redactSecrets, registerSecret } from './redact.js';

export type TargetSource = 'flag' | 'env' | 'libpq' | 'embedded';

export interface ConnectionSpec {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: boolean | { rejectUnauthorized: boolean };
  /** From connect_timeout in the URL or PGCONNECT_TIMEOUT, in ms. */
  connectTimeoutMs?: number;
}

export interface Target {
  source: TargetSource;
  spec: ConnectionSpec;
  /** user@host:port/db, the only printable form. */
  label: string;
}

const SOURCE_NAMES: Record<TargetSource, string> = {
  flag: '--db',
  env: 'DATABASE_URL',
  libpq: 'PG* environment variables',
  embedded: 'embedded cluster',
};

export function sourceName(source: TargetSource): string {
  return SOURCE_NAMES[source];
}

const LIBPQ_VARS = ['PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'];

/** The explicitly configured target, or null when bookops should use its embedded cluster. */
export function resolveExplicitTarget(
  dbFlag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Target | null {
  if (dbFlag !== undefined) return parseDatabaseUrl(dbFlag, 'flag', env);
  if (env.DATABASE_URL) return parseDatabaseUrl(env.DATABASE_URL, 'env', env);
  if (LIBPQ_VARS.some((name) => env[name])) return fromLibpqEnv(env);
  return null;
}

export function makeTarget(source: TargetSource, spec: ConnectionSpec): Target {
  registerSecret(spec.password);
  return { source, spec, label: describeTarget(spec) };
}

export function parseDatabaseUrl(
  raw: string,
  source: TargetSource,
  env: NodeJS.ProcessEnv = process.env,
): Target {
  const where = SOURCE_NAMES[source];
  const text = raw.trim();
  const conninfo = looksLikeConninfo(text);
  const bad = (why: string) =>
    new UsageError(`${where}: invalid ${conninfo ? 'connection string' : 'database URL'} '${redactSecrets(text)}': ${why}`, {
      hint: 'expected postgres://user@host[:port]/database or host=... port=... dbname=... user=...',
    });
  if (!text) throw bad('it is empty');
  const fields = conninfo ? conninfoFields(text, bad) : urlFields(text, bad);
  registerSecret(fields.password);

  const host = fields.host || env.PGHOST || 'localhost';
  const port = parsePort(fields.port || env.PGPORT || '5432', bad);
  const user = fields.user || env.PGUSER || 'postgres';
  const database = fields.database || env.PGDATABASE || user;
  let password = fields.password || undefined;
  if (!password && fields.passfile) password = lookupPgpass(fields.passfile, { host, port, database, user });
  password ||= env.PGPASSWORD || defaultPassfilePassword(env, { host, port, database, user });

  return makeTarget(source, {
    host,
    port,
    user,
    password,
    database,
    ssl: sslFromMode(fields.sslmode || env.PGSSLMODE),
    connectTimeoutMs: secondsToMs(fields.connectTimeout || env.PGCONNECT_TIMEOUT),
  });
}

/** What a URL or a keyword/value string says; empty strings where it says nothing. */
interface TargetFields {
  host: string;
  port: string;
  user: string;
  database: string;
  password: string;
  passfile: string;
  sslmode: string;
  connectTimeout: string;
}

function urlFields(text: string, bad: (why: string) => Error): TargetFields {
  if (!/^postgres(ql)?:\/\//i.test(text)) throw bad('it must start with postgres:// or postgresql://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw bad('it is not a well-formed URL');
  }
  // TLS is decided here from sslmode (libpq's meaning); pg-connection-string would read
  // certificate files and print a deprecation warning of its own.
  const sslmode = url.searchParams.get('sslmode') ?? '';
  for (const key of ['sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert']) url.searchParams.delete(key);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseConnectionString(url.toString()) as Record<string, unknown>;
  } catch (e) {
    throw bad((e as Error).message);
  }
  return {
    host: str(parsed.host),
    port: str(parsed.port),
    user: str(parsed.user),
    database: str(parsed.database),
    password: str(parsed.password),
    passfile: str(parsed.passfile),
    sslmode,
    connectTimeout: str(parsed.connect_timeout),
  };
}

function conninfoFields(text: string, bad: (why: string) => Error): TargetFields {
  let kv: ReturnType<typeof parseConninfo>;
  try {
    kv = parseConninfo(text);
  } catch (e) {
    throw bad((e as Error).message);
  }
  return {
    host: kv.hostaddr || kv.host || '',
    port: kv.port ?? '',
    user: kv.user ?? '',
    database: kv.dbname ?? '',
    password: kv.password ?? '',
    passfile: kv.passfile ?? '',
    sslmode: kv.sslmode ?? '',
    connectTimeout: kv.connect_timeout ?? '',
  };
}

function fromLibpqEnv(env: NodeJS.ProcessEnv): Target {
  const bad = (why: string) => new UsageError(`PG* environment variables: ${why}`);
  const user = env.PGUSER || 'postgres';
  const host = env.PGHOSTADDR || env.PGHOST || 'localhost';
  const port = parsePort(env.PGPORT || '5432', bad);
  const database = env.PGDATABASE || user;
  return makeTarget('libpq', {
    host,
    port,
    user,
    password: env.PGPASSWORD || defaultPassfilePassword(env, { host, port, database, user }),
    database,
    ssl: sslFromMode(env.PGSSLMODE),
    connectTimeoutMs: secondsToMs(env.PGCONNECT_TIMEOUT),
  });
}

/**
 * The password file libpq reads when no password is given: PGPASSFILE, else ~/.pgpass, ignored
 * (as libpq does) when group or others may read it. Read here so pg never falls back to its own
 * pgpass support, which prints a deprecation warning on stderr.
 */
function defaultPassfilePassword(env: NodeJS.ProcessEnv, want: { host: string; port: number; database: string; user: string }): string | undefined {
  const file = env.PGPASSFILE || join(homedir(), '.pgpass');
  try {
    if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) return undefined;
  } catch {
    return undefined;
  }
  const password = lookupPgpass(file, want);
  registerSecret(password);
  return password;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v == null ? '' : String(v);
}

function parsePort(text: string, bad: (why: string) => Error): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw bad(`port '${text}' is not a number from 1 to 65535`);
  return port;
}

function secondsToMs(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const seconds = Number(text);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

/**
 * libpq sslmode mapped onto pg: pg treats any ssl object as "require", so prefer/allow (libpq's
 * try-then-fall-back) become "no TLS" rather than failing against servers without TLS.
 */
function sslFromMode(mode: string | undefined): ConnectionSpec['ssl'] {
  switch ((mode || '').toLowerCase()) {
    case 'require':
    case 'no-verify':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full':
      return { rejectUnauthorized: true };
    default:
      return false;
  }
}
