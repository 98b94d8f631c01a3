/** Small helpers for the booking-rule tests: an archive operation per transaction, table snapshots. */
import type { Knex } from 'knex';
import { beginOperation, type ArchiveOperation } from '../../src/archive/archive.js';
import { fixedSchema, legacySchema } from './schema.js';
import type { TestDatabase } from './db.js';

/** The two schemas every rule is tested on: the legacy baseline and every migration applied. */
export const SCHEMAS: [name: 'legacy' | 'fixed', apply: (t: TestDatabase) => Promise<void>][] = [
  ['legacy', legacySchema],
  ['fixed', fixedSchema],
];

/** Runs `fn` in a transaction with an archive operation, as a command would. */
export function withOp<T>(db: Knex, fn: (trx: Knex.Transaction, op: ArchiveOperation) => Promise<T>, action = 'test.rule'): Promise<T> {
  return db.transaction(async (trx) => {
    const op = await beginOperation(trx, { action, commandLine: `bookops ${action}` });
    return fn(trx, op);
  });
}

/** Every row of a table as sorted JSON, for comparing a table before and after a restore. */
export async function snapshot(db: Knex, table: string): Promise<string[]> {
  const { rows } = await db.raw(`SELECT to_jsonb(x) AS r FROM ${table} x`);
  return rows.map((r: { r: unknown }) => JSON.stringify(r.r)).sort();
}

export async function one<T = Record<string, unknown>>(db: Knex | Knex.Transaction, sql: string, params: Record<string, unknown> = {}): Promise<T> {
  const { rows } = await db.raw(sql, params as Knex.ValueDict);
  return rows[0] as T;
}

export async function all<T = Record<string, unknown>>(db: Knex | Knex.Transaction, sql: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const { rows } = await db.raw(sql, params as Knex.ValueDict);
  return rows as T[];
}

/** Archived rows of an operation per table and change, e.g. { 'interviews:deleted': 3 }. */
export async function archivedCounts(db: Knex, operationId: number): Promise<Record<string, number>> {
  const rows = await all<{ k: string; n: number }>(
    db,
    `SELECT table_name || ':' || change AS k, count(*)::int AS n FROM bookops_archive_rows WHERE operation_id = :id GROUP BY 1`,
    { id: operationId },
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}
