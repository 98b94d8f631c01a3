/**
 * Which database a command talks to, in this order: --db, DATABASE_URL, the libpq PG* variables
 * (PGSERVICE included), else the embedded cluster (resolved by the caller, see
 * src/embedded/target.ts). --db and DATABASE_URL take what psql takes: a postgres:// URL, a
 * keyword/value string, or `service=name`.
 *
 * One target string is resolved as libpq resolves it (conninfo_add_defaults): the keywords the
 * string gives; then the entries of its service (service=, else PGSERVICE) for keywords it does
 * not give; then the PG* variables; then the defaults. A password not found that way comes from
 * the password file. We hand pg explicit fields: pg does not read DATABASE_URL, services or
 * libpq's TLS rules, and a connectionString would silently override the session settings we add.
 */
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { looksLikeConninfo, parseConninfo, type ConninfoKeyword, type ConninfoOptions } from './conninfo.js';
import { homeDirectory } from './home.js';
import { lookupPgpass } from './pgpass.js';
import { lookupService, ServiceFileError } from './service-file.js';
import { tlsAttempts, type TlsOption } from './tls.js';
import { describeTarget, registerSecret } from './redact.js';
import { looksLikeUri, parseUri } from './uri.js';

export type TargetSource = 'flag' | 'env' | 'libpq' | 'embedded' | 'config';

export interface ConnectionSpec {
  host: string;
  port: number;
  user: string;
  password?: string;
  database: string;
  /** The TLS options of the first connection attempt (false: plain). */
  ssl?: TlsOption;
  /** What a failed first attempt is retried with: plain after TLS (prefer), TLS after plain (allow). */
  sslFallback?: TlsOption;
  /** From connect_timeout or PGCONNECT_TIMEOUT, in ms. */
  connectTimeoutMs?: number;
}

export interface Target {
  source: TargetSource;
  spec: ConnectionSpec;
  /** user@host:port/db, the only printable form. */
  label: string;
  /** What libpq would warn about on stderr (an ignored password file). */
  warnings?: string[];
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

/** The variables that make bookops use a server of the user's instead of its embedded cluster. */
const LIBPQ_VARS = ['PGSERVICE', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGPASSWORD'];

/** libpq's environment variable for each keyword, read when neither the string nor its service gives it. */
const ENV_OF: Record<ConninfoKeyword, string> = {
  service: 'PGSERVICE',
  host: 'PGHOST',
  hostaddr: 'PGHOSTADDR',
  port: 'PGPORT',
  dbname: 'PGDATABASE',
  user: 'PGUSER',
  password: 'PGPASSWORD',
  passfile: 'PGPASSFILE',
  sslmode: 'PGSSLMODE',
  sslrootcert: 'PGSSLROOTCERT',
  sslcert: 'PGSSLCERT',
  sslkey: 'PGSSLKEY',
  connect_timeout: 'PGCONNECT_TIMEOUT',
  application_name: 'PGAPPNAME',
};

/** Where libpq (Debian's, then upstream's) puts the server socket when no host is given. */
const SOCKET_DIRS = ['/var/run/postgresql', '/tmp'];

/** The explicitly configured target, or null when bookops should use its embedded cluster. */
export function resolveExplicitTarget(dbFlag: string | undefined, env: NodeJS.ProcessEnv = process.env): Target | null {
  if (dbFlag !== undefined) return resolveTargetString(dbFlag, { source: 'flag', env });
  if (env.DATABASE_URL) return resolveTargetString(env.DATABASE_URL, { source: 'env', env });
  if (LIBPQ_VARS.some((name) => env[name])) return resolveOptions({}, 'libpq', SOURCE_NAMES.libpq, env);
  return null;
}

export function makeTarget(source: TargetSource, spec: ConnectionSpec, warnings?: string[]): Target {
  registerSecret(spec.password);
  return { source, spec, label: describeTarget(spec), ...(warnings?.length ? { warnings } : {}) };
}

/**
 * One target string, a postgres:// URL, a keyword/value string or `service=name`, resolved with
 * the environment as psql would resolve it. `where` names it in errors (default: the source's name,
 * e.g. "--db"); errors never repeat the string, only a keyword or a position in it.
 */
export function resolveTargetString(
  raw: string,
  opts: { source?: TargetSource; where?: string; env?: NodeJS.ProcessEnv } = {},
): Target {
  const source = opts.source ?? 'flag';
  const where = opts.where ?? SOURCE_NAMES[source];
  const text = raw.trim();
  const uri = looksLikeUri(text);
  if (!text) throw usage(where, 'it is empty', true);
  if (!uri && !looksLikeConninfo(text)) throw usage(where, 'it is neither a postgres:// URL nor keyword=value pairs', true);
  let explicit: ConninfoOptions;
  try {
    explicit = uri ? parseUri(text) : parseConninfo(text);
  } catch (e) {
    throw usage(where, `invalid ${uri ? 'database URL' : 'connection string'}: ${(e as Error).message}`, true);
  }
  registerSecret(explicit.password);
  return resolveOptions(explicit, source, where, opts.env ?? process.env);
}

/** Kept for callers that name the source only. */
export function parseDatabaseUrl(raw: string, source: TargetSource, env: NodeJS.ProcessEnv = process.env): Target {
  return resolveTargetString(raw, { source, env });
}

function usage(where: string, why: string, withForms = false): UsageError {
  const hint = 'expected postgres://user@host[:port]/database, host=... port=... dbname=... user=..., or service=name';
  return new UsageError(`${where}: ${why}`, withForms ? { hint } : {});
}

/** libpq's order: the string's keywords, then its service's entries, then PG*, then defaults. */
function resolveOptions(explicit: ConninfoOptions, source: TargetSource, where: string, env: NodeJS.ProcessEnv): Target {
  const bad = (why: string) => usage(where, why);
  const options: ConninfoOptions = { ...explicit };
  const service = options.service ?? env.PGSERVICE;
  if (service) {
    let entries: ConninfoOptions;
    try {
      entries = lookupService(service, env);
    } catch (e) {
      if (e instanceof ServiceFileError) throw usage(options.service === undefined ? 'PGSERVICE' : where, e.message);
      throw e;
    }
    registerSecret(entries.password);
    for (const [key, value] of Object.entries(entries) as Array<[ConninfoKeyword, string]>) options[key] ??= value;
  }
  for (const [key, name] of Object.entries(ENV_OF) as Array<[ConninfoKeyword, string]>) {
    if (options[key] === undefined && env[name] !== undefined) options[key] = env[name];
  }
  registerSecret(options.password);

  if ([options.host, options.hostaddr, options.port].some((v) => v?.includes(','))) {
    throw bad('several hosts (host=a,b): bookops connects to one host; give one');
  }
  const home = homeDirectory(env);
  const port = parsePort(options.port || '5432', bad);
  const hostName = options.host || '';
  // hostaddr is where we connect; the host name is what the password file and TLS go by.
  const host = options.hostaddr || hostName || defaultHost(port);
  const user = options.user || osUser();
  const database = options.dbname || user;
  const warnings: string[] = [];
  let password = options.password || undefined;
  if (!password) {
    const passHost = !hostName || hostName.startsWith('/') ? (options.hostaddr || 'localhost') : hostName;
    const found = lookupPgpass(options.passfile || join(home, '.pgpass'), { host: passHost, port, database, user });
    if (found.warning) warnings.push(found.warning);
    password = found.password || undefined;
    registerSecret(password);
  }
  const [ssl, sslFallback] = host.startsWith('/')
    ? ([false] as TlsOption[]) // a Unix socket has no TLS, as in libpq
    : tlsAttempts(
        { sslmode: options.sslmode, sslrootcert: options.sslrootcert, sslcert: options.sslcert, sslkey: options.sslkey, hostName: hostName || host, home },
        bad,
      );
  return makeTarget(
    source,
    {
      host,
      port,
      user,
      password,
      database,
      ssl,
      ...(sslFallback !== undefined ? { sslFallback } : {}),
      connectTimeoutMs: secondsToMs(options.connect_timeout, bad),
    },
    warnings,
  );
}

/** libpq connects to the server's socket when no host is given; we look where Debian's and upstream's put it. */
function defaultHost(port: number): string {
  return SOCKET_DIRS.find((dir) => existsSync(join(dir, `.s.PGSQL.${port}`))) ?? 'localhost';
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

function parsePort(text: string, bad: (why: string) => Error): number {
  const port = Number(text);
  // The value is not repeated: in a URL with an unescaped '/' in the password, it is part of it.
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw bad('port is not a number from 1 to 65535');
  return port;
}

function secondsToMs(text: string | undefined, bad: (why: string) => Error): number | undefined {
  if (!text) return undefined;
  if (!/^\s*-?\d+\s*$/.test(text)) throw bad('connect_timeout is not a whole number of seconds');
  const seconds = Number(text);
  // libpq: 0 or less waits forever (here: the session default), and never less than 2 seconds.
  return seconds > 0 ? Math.max(seconds, 2) * 1000 : undefined;
}
