/**
 * Session settings for a connection through a pooler. Behind PgBouncer in transaction pooling a
 * client's SET runs on whichever server connection the pooler lends it, stays there when the
 * connection goes back to the pool, and every other application's client that gets it next runs
 * with our lock_timeout and statement_timeout. So on such a connection bookops sets nothing for
 * the session: every transaction it opens starts with the settings as transaction-local
 * (set_config(..., true), i.e. SET LOCAL), and every statement sent outside a transaction is
 * sent inside one of its own (BEGIN, the settings, the statement, COMMIT), which also pins one
 * server connection for the three. Nothing outlives bookops' own transactions.
 *
 * The few statements PostgreSQL refuses inside a transaction block (CREATE/DROP INDEX
 * CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ...) go as they are and run with the server's own
 * lock_timeout and statement_timeout: a SET before them could not be taken back safely.
 */
import type pg from 'pg';
import { sql } from './sql.js';

/** What PostgreSQL refuses to run inside a transaction block. */
const OUTSIDE_TRANSACTION =
  /^(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|REINDEX\b[^;]*\bCONCURRENTLY|VACUUM|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+SYSTEM|CREATE\s+TABLESPACE|DROP\s+TABLESPACE|ALTER\s+DATABASE\b[^;]*\bSET\s+TABLESPACE)\b/i;
const BEGINS = /^(BEGIN|START\s+TRANSACTION)\b/i;
/** Ends the transaction (ROLLBACK TO SAVEPOINT does not). */
const ENDS = /^(COMMIT|END|ABORT|ROLLBACK(?!\s+TO\b))\b/i;

/** The statement's text without the comments and blanks before its first keyword. */
function head(text: string): string {
  return text.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)*/, '');
}

/** True when PostgreSQL runs the statement only outside a transaction block. */
export function mustRunOutsideTransaction(text: string): boolean {
  return OUTSIDE_TRANSACTION.test(head(text));
}

export interface ScopedSettings {
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  clientCheckMs: number;
  /** Every transaction READ ONLY (the exporter's sessions: default_transaction_read_only on a session of its own). */
  readOnly?: boolean;
}

type Callback = (err: Error | null, res?: unknown) => void;
type Send = (config: unknown, callback: Callback) => void;

/**
 * Makes every transaction on `conn` carry the settings, transaction-locally. Wraps the
 * (config, callback) form of query() that Knex uses; other forms pass through unchanged.
 */
export function scopeSettings(conn: pg.Client, settings: ScopedSettings): void {
  const original = conn.query.bind(conn) as unknown as (...args: unknown[]) => unknown;
  const send: Send = (config, callback) => void original(config, callback);
  const setLocal = {
    text: sql('session/set-local').text,
    values: [String(Math.round(settings.lockTimeoutMs)), String(Math.round(settings.statementTimeoutMs)), String(settings.clientCheckMs), settings.readOnly ? 'on' : 'off'],
  };
  let inTransaction = false;

  const wrapped = (config: unknown, ...rest: unknown[]): unknown => {
    const callback = rest[0];
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    if (typeof callback !== 'function' || rest.length !== 1 || typeof text !== 'string') return original(config, ...rest);
    const done = callback as Callback;
    const statement = head(text);
    if (BEGINS.test(statement)) {
      return send(config, (err, res) => {
        if (err) return done(err);
        inTransaction = true;
        send(setLocal, (setErr) => done(setErr, res));
      });
    }
    if (ENDS.test(statement)) {
      return send(config, (err, res) => {
        inTransaction = false;
        done(err, res);
      });
    }
    if (inTransaction || mustRunOutsideTransaction(statement)) return send(config, done);
    // A statement on its own: in a transaction of its own, as autocommit would have run it.
    send('BEGIN', (beginErr) => {
      if (beginErr) return done(beginErr);
      send(setLocal, (setErr) => {
        if (setErr) return send('ROLLBACK', () => done(setErr));
        send(config, (err, res) => send(err ? 'ROLLBACK' : 'COMMIT', (endErr) => done(err ?? endErr, res)));
      });
    });
    return undefined;
  };
  (conn as unknown as { query: unknown }).query = wrapped;
}
