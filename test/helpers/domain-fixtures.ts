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

// whatsapp --------------------------------------------------------------------------------

/** A number with 2 bots, 3 conversations (2 messages each), 2 broadcasts (4 recipients each). */
export async function plantNumber(db: Knex, phone: string): Promise<number> {
  const { id } = await one<{ id: number }>(db, `INSERT INTO whatsapp_numbers (phone_number, display_name) VALUES (:phone, 'Support') RETURNING id`, { phone });
  await db.raw(`INSERT INTO bots (whatsapp_number_id, name) SELECT :id, 'bot ' || g FROM generate_series(1, 2) g`, { id });
  await db.raw(
    `WITH c AS (INSERT INTO conversations (whatsapp_number_id, contact_phone) SELECT :id, '+1555000' || g FROM generate_series(1, 3) g RETURNING id)
     INSERT INTO whatsapp_messages (conversation_id, direction, body) SELECT c.id, 'in', 'hi ' || g FROM c, generate_series(1, 2) g`,
    { id },
  );
  await db.raw(
    `WITH b AS (INSERT INTO broadcasts (whatsapp_number_id, title) SELECT :id, 'news ' || g FROM generate_series(1, 2) g RETURNING id)
     INSERT INTO broadcast_recipients (broadcast_id, phone) SELECT b.id, '+1666000' || g FROM b, generate_series(1, 4) g`,
    { id },
  );
  return id;
}

export const NUMBER_ROWS = { bots: 2, conversations: 3, messages: 6, broadcasts: 2, recipients: 8 };
