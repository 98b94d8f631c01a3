/**
 * What every repository and rule shares about the connection: the connection type they take
 * first, running statements inside a transaction when the caller passed a plain Knex, and
 * turning driver errors into the typed tree with the caller's own meaning of a SQLSTATE first.
 */
import type { Knex } from 'knex';
import { translatePgErrorAs, type PgMeanings } from './pg-errors.js';
import type { Db } from './sql.js';

export type { Db } from './sql.js';

/**
 * A `timestamp without time zone` value as the server holds it ("2026-11-23 18:00:00.123456"):
 * it has no zone, so it is never turned into a Date in the operator's zone (src/data/connect.ts).
 */
export type TimestampText = string;

export function isTransaction(db: Db): db is Knex.Transaction {
  return (db as Knex.Transaction).isTransaction === true;
}

/**
 * Runs `fn` in the caller's transaction, or in a new one when `db` is a plain Knex: rules whose
 * correctness depends on a transaction-scoped lock (pg_advisory_xact_lock) need one.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (isTransaction(db)) return fn(db);
  return (db as Knex).transaction(fn);
}

/** Runs `fn` and rethrows what it throws as a typed error (the caller's meanings of SQLSTATEs first). */
export async function translated<T>(fn: () => Promise<T>, meanings: PgMeanings = {}): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw translatePgErrorAs(err, meanings);
  }
}
