/**
 * Opening the one Knex instance a command uses. Every session gets application_name=bookops, a
 * connect timeout, lock_timeout, statement_timeout and client_connection_check_interval. They go
 * as start-up parameters. A pooler rejects those (PgBouncer: "unsupported startup parameter") or
 * drops them (ignore_startup_parameters); either is detected on the first connection, and then
 * the settings go transaction-locally into every transaction bookops opens (scoped-settings.ts):
 * a SET would stay on the pooled server connection for other applications' clients.
 */
import knex, { type Knex } from 'knex';
import pg from 'pg';
import type { ConnectionSpec, Target } from '../config/target.js';
import { trackClient } from './cancel.js';
import { translateConnectError } from './pg-errors.js';
import { scopeSettings, type ScopedSettings } from './scoped-settings.js';
import { APPLICATION_NAME, type SessionOptions } from './session.js';
import { sql } from './sql.js';

export { DEFAULT_SESSION, APPLICATION_NAME, type SessionOptions } from './session.js';

// int8 (counts, bigserial ids, Telegram ids) as numbers when exact; pg's default is a string.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});

// timestamp without time zone as the text the server holds ("2026-11-23 18:00:00.123456"). pg
// would read it in the operator's time zone and we would print it as UTC: the same row would
// show differently on every machine, and lose its microseconds. It has no zone; we claim none.
pg.types.setTypeParser(pg.types.builtins.TIMESTAMP, (v: string) => v);

/**
 * A TLS options object of its own for every client config: pg hides `key` on the object it is
 * given (non-enumerable, kept out of logs), and Knex deep-copies its config, which drops hidden
 * properties; an object the probe connection had used would reach the pool without its key.
 */
function freshTls(ssl: ConnectionSpec['ssl']): ConnectionSpec['ssl'] {
  return ssl ? { ...ssl, ...(ssl.key ? { key: ssl.key } : {}) } : false;
}

/** Called by pg only when the server asks for a password: libpq's answer when it has none. */
async function noPassword(): Promise<string> {
  throw new Error('no password supplied');
}

export function clientConfig(spec: ConnectionSpec, session: SessionOptions, startupParams: boolean): pg.ClientConfig {
  const config: pg.ClientConfig = {
    host: spec.host,
    port: spec.port,
    user: spec.user,
    // No password found by src/config (string, service, PGPASSWORD, password file): none. pg
    // would otherwise fall back to its own PGPASSWORD and pgpass reading, with other rules.
    password: spec.password ?? noPassword,
    database: spec.database,
    ssl: freshTls(spec.ssl),
    application_name: session.applicationName ?? APPLICATION_NAME,
    connectionTimeoutMillis: connectTimeout(spec, session),
  };
  if (startupParams) {
    config.lock_timeout = session.lockTimeoutMs;
    config.statement_timeout = session.statementTimeoutMs;
    // PostgreSQL 14+: the server checks every second that we are still there, so a statement of
    // a run stopped by Ctrl-C or a kill is cancelled (and rolled back) instead of running on.
    // An older server refuses the parameter: then the SET fallback sets it where it exists.
    config.options = `-c client_connection_check_interval=${CLIENT_CHECK_MS}${session.readOnly ? ' -c default_transaction_read_only=on' : ''}`;
  }
  return config;
}

const CLIENT_CHECK_MS = 1000;

/** The connect timeout in force: an explicit --connect-timeout, else the target's own (URL, PGCONNECT_TIMEOUT), else the default. */
export function connectTimeout(spec: ConnectionSpec, session: SessionOptions): number {
  return session.connectTimeoutExplicit ? session.connectTimeoutMs : (spec.connectTimeoutMs ?? session.connectTimeoutMs);
}

function scopedSettings(session: SessionOptions): ScopedSettings {
  return {
    lockTimeoutMs: Math.max(0, session.lockTimeoutMs),
    statementTimeoutMs: Math.max(0, session.statementTimeoutMs),
    clientCheckMs: CLIENT_CHECK_MS,
    readOnly: Boolean(session.readOnly),
  };
}

function rejectsStartupParams(err: unknown): boolean {
  return /unsupported startup parameter|unrecognized configuration parameter/i.test(String((err as Error)?.message));
}

/** False when a pooler dropped our start-up parameters (PgBouncer's ignore_startup_parameters). */
async function startupParamsTook(client: pg.Client, session: SessionOptions): Promise<boolean> {
  const { rows } = await client.query<{ lock_ms: number; statement_ms: number }>(sql('session/in-force').text);
  return Number(rows[0].lock_ms) === Math.round(session.lockTimeoutMs) && Number(rows[0].statement_ms) === Math.round(session.statementTimeoutMs);
}

/**
 * How a connection carries the session settings: `startup`, as start-up parameters (a session
 * of our own); `set`, transaction-locally in every transaction (through a pooler, where the
 * server session is shared). Run-long locks follow it (advisory-lock.ts).
 */
export type SettingsMode = 'startup' | 'set';

/**
 * Connects one plain client, deciding between start-up parameters and transaction-local
 * settings, and (sslmode allow or prefer) between TLS and plain as libpq does: the second way is
 * tried when the first fails for any reason but an unreachable server. Used for the first probe
 * and for dedicated connections (run locks); `ssl` is the way that worked. A `set` client has no
 * session setting: its caller sends short statements only.
 */
export async function connectClient(
  target: Target,
  session: SessionOptions,
): Promise<{ client: pg.Client; mode: SettingsMode; ssl: ConnectionSpec['ssl'] }> {
  const ways = target.spec.sslFallback === undefined ? [target.spec.ssl] : [target.spec.ssl, target.spec.sslFallback];
  for (let i = 0; ; i++) {
    const spec = { ...target.spec, ssl: ways[i] };
    try {
      return { ...(await connectWithSettings(spec, session)), ssl: ways[i] };
    } catch (err) {
      if (i + 1 < ways.length && !unreachable(err)) continue;
      throw translateConnectError(err, target.label, connectTimeout(target.spec, session));
    }
  }
}

async function connectWithSettings(spec: ConnectionSpec, session: SessionOptions): Promise<{ client: pg.Client; mode: SettingsMode }> {
  const attempt = async (mode: SettingsMode) => {
    const client = new pg.Client(clientConfig(spec, session, mode === 'startup'));
    // An idle connection that dies emits 'error'; without a listener that crashes the process.
    client.on('error', () => undefined);
    trackClient(client, spec);
    try {
      await client.connect();
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  };
  const first = session.settingsMode === 'set' ? 'set' : 'startup';
  try {
    const client = await attempt(first);
    if (first === 'startup' && session.settingsMode === 'auto' && !(await startupParamsTook(client, session))) {
      await client.end().catch(() => undefined);
      return { client: await attempt('set'), mode: 'set' };
    }
    return { client, mode: first };
  } catch (err) {
    if (first === 'startup' && session.settingsMode === 'auto' && rejectsStartupParams(err)) {
      return { client: await attempt('set'), mode: 'set' };
    }
    throw err;
  }
}

/** A server that cannot be reached the first way cannot be reached the second either: libpq does not retry then. */
function unreachable(err: unknown): boolean {
  const code = (err as { code?: string })?.code ?? '';
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'].includes(code) || /timeout/i.test(String((err as Error)?.message));
}

const modes = new WeakMap<Knex, SettingsMode>();
const standbys = new WeakSet<Knex>();

/** How the connections of a Knex instance made by openDatabase carry their settings. */
export function settingsModeOf(db: Knex): SettingsMode | undefined {
  return modes.get(db);
}

/**
 * True when the server of a Knex instance made by openDatabase is a hot standby (asked once, on
 * the first connection): the read-only commands run there, the others refuse (readonly.ts).
 */
export function isStandby(db: Knex): boolean {
  return standbys.has(db);
}

export interface QueryLogger {
  (line: string): void;
}

/** Creates the Knex instance after a probe connection proved the target reachable. */
export async function openDatabase(target: Target, session: SessionOptions, logQuery?: QueryLogger): Promise<Knex> {
  const { client, mode, ssl } = await connectClient(target, session);
  const standby = await client.query<{ standby: boolean }>(sql('session/in-recovery').text).then(
    (r) => r.rows[0].standby,
    (err: unknown) => {
      throw translateConnectError(err, target.label, connectTimeout(target.spec, session));
    },
  ).finally(() => client.end().catch(() => undefined));
  logQuery?.(
    `session settings ${mode === 'startup' ? 'as start-up parameters' : 'transaction-locally in every transaction (a pooler)'}: application_name=${session.applicationName ?? APPLICATION_NAME}, ` +
      `lock_timeout=${session.lockTimeoutMs}ms, statement_timeout=${session.statementTimeoutMs}ms, client_connection_check_interval=${CLIENT_CHECK_MS}ms, connect timeout ${connectTimeout(target.spec, session)}ms, ` +
      (ssl ? `over TLS${ssl.rejectUnauthorized ? ' (server certificate verified)' : ' (server certificate not checked)'}` : 'over a plain connection'),
  );

  const db = knex({
    client: 'pg',
    connection: clientConfig({ ...target.spec, ssl }, session, mode === 'startup') as Knex.PgConnectionConfig,
    pool: {
      min: 0,
      max: session.poolMax ?? 4,
      afterCreate: (conn: pg.Client, done: (err: Error | null, conn: pg.Client) => void) => {
        conn.on('error', () => undefined);
        trackClient(conn, target.spec);
        if (mode === 'set') scopeSettings(conn, scopedSettings(session));
        done(null, conn);
      },
    },
    acquireConnectionTimeout: session.connectTimeoutMs + 10_000,
    // Knex otherwise prefixes error messages with the SQL and inlined values.
    compileSqlOnError: false,
    log: {
      warn: (m: string) => logQuery?.(`knex: ${m}`),
      error: (m: string) => logQuery?.(`knex: ${m}`),
      deprecate: () => undefined,
      debug: () => undefined,
    },
  });
  attachQueryHooks(db, logQuery);
  modes.set(db, mode);
  if (standby) standbys.add(db);
  return db;
}

type QueryEvent = { sql: string; __knexQueryUid?: string; bindings?: unknown[] };

function attachQueryHooks(db: Knex, logQuery?: QueryLogger): void {
  const started = new Map<string, number>();
  db.on('query', (q: QueryEvent) => {
    if (logQuery && q.__knexQueryUid) started.set(q.__knexQueryUid, performance.now());
  });
  const finish = (q: QueryEvent, suffix = '') => {
    if (!logQuery) return;
    const t0 = q.__knexQueryUid ? started.get(q.__knexQueryUid) : undefined;
    if (q.__knexQueryUid) started.delete(q.__knexQueryUid);
    const ms = t0 === undefined ? '?' : (performance.now() - t0).toFixed(1);
    logQuery(`[${ms} ms] ${q.sql.replace(/\s+/g, ' ').trim()}${suffix}`);
  };
  db.on('query-response', (_res: unknown, q: QueryEvent) => finish(q));
  db.on('query-error', (err: Error & { originalMessage?: string }, q: QueryEvent) => {
    // compileSqlOnError=false makes knex's message exactly `${sql} - ${original}`.
    const prefix = `${q.sql} - `;
    if (err.message.startsWith(prefix)) err.originalMessage = err.message.slice(prefix.length);
    finish(q, ' -- failed');
  });
}
