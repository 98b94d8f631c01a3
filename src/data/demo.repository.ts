/**
 * The demo seeder's statements (sql/demo): the healthy base, the planted defects, and the
 * database state and marker it reads. Each block is one set-based step of the seeder, run by
 * name: `step(db, 'recruiting-slots', params)`.
 */
import type { Knex } from 'knex';
import { first, identifier, joined, rows, run, sql, type Db, type SqlParams } from './sql.js';

/** Runs the demo block `name` (sql/demo) and returns its rows. */
export function step<T = Record<string, unknown>>(db: Db, name: string, params: SqlParams = {}): Promise<T[]> {
  return rows<T>(db, sql(`demo/${name}`), params);
}

/** One seeding at a time per database (a transaction-scoped lock). */
export async function trySeedLock(trx: Knex.Transaction): Promise<boolean> {
  return (await first<{ ok: boolean }>(trx, sql('demo/lock-seed')))!.ok;
}

export async function markerExists(db: Db): Promise<boolean> {
  return (await first<{ present: boolean }>(db, sql('demo/marker-exists')))!.present;
}

export async function ensureMarker(trx: Knex.Transaction): Promise<void> {
  await run(trx, sql('demo/marker'));
}

export async function analyze(trx: Knex.Transaction, tables: readonly string[]): Promise<void> {
  await run(trx, sql('demo/analyze', { tables: joined(tables.map(identifier)) }));
}
