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
import { CONNINFO_KEYWORDS, conninfoForDisplay, looksLikeConninfo, parseConninfo } from './conninfo.js';
import { lookupPgpass } from './pgpass.js';
import { sslmodeFromSslParam, tlsOption, type TlsOption } from './tls.js';
import { describeTarget, redactSecrets, registerSecret } from './redact.js';

export type TargetSource = 'flag' | 'env' | 'libpq' | 'embedded' | 'config';

export interface ConnectionSpec {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  ssl?: TlsOption;
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
  config: 'config file target',
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
  const bad = (why: string, shown = redactSecrets(text)) =>
    new UsageError(`${where}: invalid ${conninfo ? 'connection string' : 'database URL'} '${shown}': ${why}`, {
      hint: 'expected postgres://user@host[:port]/database or host=... port=... dbname=... user=...',
    });
  if (!text) throw bad('it is empty');
  return targetFrom(source, conninfo ? conninfoFields(text, bad) : urlFields(text, bad), env, bad);
}

/**
 * The target a URL, a keyword/value string or (with no fields) the PG* variables describe: as in
 * libpq, the variables fill in what the string does not say.
 */
function targetFrom(source: TargetSource, fields: Partial<TargetFields>, env: NodeJS.ProcessEnv, bad: (why: string) => Error): Target {
  registerSecret(fields.password);
  const hostName = fields.host || env.PGHOST;
  // hostaddr is where we connect; the host name is what the password file and TLS go by.
  const host = fields.hostaddr || fields.host || env.PGHOSTADDR || env.PGHOST || 'localhost';
  const passHost = hostName || host;
  const port = parsePort(fields.port || env.PGPORT || '5432', bad);
  const user = fields.user || env.PGUSER || 'postgres';
  const database = fields.database || env.PGDATABASE || user;
  let password = fields.password || undefined;
  if (!password && fields.passfile) password = lookupPgpass(fields.passfile, { host: passHost, port, database, user });
  password ||= env.PGPASSWORD || defaultPassfilePassword(env, { host: passHost, port, database, user });

  return makeTarget(source, {
    host,
    port,
    user,
    password,
    database,
    ssl: tlsOption(
      {
        sslmode: fields.sslmode || env.PGSSLMODE,
        sslrootcert: fields.sslrootcert || env.PGSSLROOTCERT,
        sslcert: fields.sslcert || env.PGSSLCERT,
        sslkey: fields.sslkey || env.PGSSLKEY,
        servername: hostName && host !== hostName ? hostName : undefined,
      },
      bad,
    ),
    connectTimeoutMs: secondsToMs(fields.connectTimeout || env.PGCONNECT_TIMEOUT),
  });
}

/** What a URL or a keyword/value string says; empty strings where it says nothing. */
interface TargetFields {
  host: string;
  /** libpq's hostaddr: the address to connect to, `host` staying the name (password file, TLS). */
  hostaddr: string;
  port: string;
  user: string;
  database: string;
  password: string;
  passfile: string;
  sslmode: string;
  sslrootcert: string;
  sslcert: string;
  sslkey: string;
  connectTimeout: string;
}

/**
 * URL query parameters bookops reads: the keywords of the keyword/value form, and node-style
 * `ssl=true|false`; any other is refused rather than silently ignored.
 */
const URL_PARAMETERS: readonly string[] = [...CONNINFO_KEYWORDS, 'ssl'];

/**
 * A URL as an error may show it: the user-info password masked up to the last '@' (a password
 * may hold '@' or a space, which the general masking cannot tell from the rest of a line).
 */
function urlForDisplay(text: string): string {
  return redactSecrets(
    text
      .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:).*@/i, '$1****@')
      // A password parameter may hold '&': nothing after it is shown.
      .replace(/([?&]password=).*$/i, '$1****'),
  );
}

function urlFields(text: string, bad: (why: string, shown?: string) => Error): TargetFields {
  const fail = (why: string) => bad(why, urlForDisplay(text));
  if (!/^postgres(ql)?:\/\//i.test(text)) throw fail('it must start with postgres:// or postgresql://');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw fail('it is not a well-formed URL');
  }
  // Known before anything else can go wrong, so every later message masks them wherever they are.
  registerSecret(safeDecode(url.password));
  registerSecret(url.searchParams.get('password'));
  const keys = [...url.searchParams.keys()];
  const unknown = keys.filter((k) => !URL_PARAMETERS.includes(k));
  if (unknown.length) {
    // After password=, an "unknown parameter" may be the rest of a password holding '&': unnamed.
    const afterPassword = keys.indexOf('password') === -1 ? keys.length : keys.indexOf('password');
    const named = unknown.filter((k) => keys.indexOf(k) < afterPassword);
    const shown = [...named.map((k) => `'${k}'`), ...(named.length < unknown.length ? ['one after the password'] : [])];
    throw fail(`unknown parameter ${shown.join(', ')} (bookops reads ${URL_PARAMETERS.join(', ')})`);
  }
  // TLS is decided by tls.ts with libpq's meanings; pg-connection-string would read the
  // certificate files itself and print a deprecation warning of its own.
  const tls = { sslmode: '', sslrootcert: '', sslcert: '', sslkey: '' };
  for (const key of Object.keys(tls) as Array<keyof typeof tls>) tls[key] = url.searchParams.get(key) ?? '';
  tls.sslmode ||= sslmodeFromSslParam(url.searchParams.get('ssl'), fail) ?? '';
  for (const key of ['sslmode', 'ssl', 'sslcert', 'sslkey', 'sslrootcert']) url.searchParams.delete(key);
  let parsed: Record<string, unknown>;
  try {
    parsed = parseConnectionString(url.toString()) as Record<string, unknown>;
  } catch (e) {
    throw fail((e as Error).message);
  }
  return {
    host: str(parsed.host),
    hostaddr: str(parsed.hostaddr),
    port: str(parsed.port),
    user: str(parsed.user),
    // ?dbname= is a keyword like any other and, as in libpq, wins over the path.
    database: str(parsed.dbname) || str(parsed.database),
    password: str(parsed.password),
    passfile: str(parsed.passfile),
    ...tls,
    connectTimeout: str(parsed.connect_timeout),
  };
}

function conninfoFields(text: string, bad: (why: string, shown?: string) => Error): TargetFields {
  let kv: ReturnType<typeof parseConninfo>;
  try {
    kv = parseConninfo(text);
  } catch (e) {
    throw bad((e as Error).message, conninfoForDisplay(text));
  }
  return {
    host: kv.host ?? '',
    hostaddr: kv.hostaddr ?? '',
    port: kv.port ?? '',
    user: kv.user ?? '',
    database: kv.dbname ?? '',
    password: kv.password ?? '',
    passfile: kv.passfile ?? '',
    sslmode: kv.sslmode ?? '',
    sslrootcert: kv.sslrootcert ?? '',
    sslcert: kv.sslcert ?? '',
    sslkey: kv.sslkey ?? '',
    connectTimeout: kv.connect_timeout ?? '',
  };
}

function fromLibpqEnv(env: NodeJS.ProcessEnv): Target {
  return targetFrom('libpq', {}, env, (why) => new UsageError(`PG* environment variables: ${why}`));
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

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
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
