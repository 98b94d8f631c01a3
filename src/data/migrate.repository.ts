/**
 * The migration runner's bookkeeping (sql/migrate) and the statements of migration files, sent
 * as they are (a migration is a reviewed SQL file of its own: its text is never bound).
 */
import type { Knex } from 'knex';
import { first, fromMigration, rows, run, runPlain, sql, type Db, type Sql } from './sql.js';

export interface AppliedRow {
  name: string;
  batch: number;
  applied_at: Date;
  checksum: string | null;
  /** The tables that were absent when it was recorded without running; null when it ran. */
  skipped_for: string[] | null;
}

export async function bookkeepingTables(db: Db): Promise<{ migrations: boolean; checksums: boolean }> {
  return (await first<{ migrations: boolean; checksums: boolean }>(db, sql('migrate/bookkeeping-tables')))!;
}

export function applied(db: Db): Promise<AppliedRow[]> {
  return rows<AppliedRow>(db, sql('migrate/applied'));
}

/** Creates the checksum table beside Knex's (and its newer column, on older ones), and the objects' records. */
export async function ensureChecksums(db: Db): Promise<void> {
  await run(db, sql('migrate/create-checksums'));
  await run(db, sql('migrate/checksums-skipped-column'));
  await ensureObjects(db);
}

export async function recordChecksum(db: Db, name: string, checksum: string, skippedFor: string[] | null): Promise<void> {
  await run(db, sql('migrate/record-checksum'), { name, checksum, skippedFor });
}

export async function unrecordChecksum(db: Db, name: string): Promise<void> {
  await run(db, sql('migrate/unrecord-checksum'), { name });
}

export async function recordedSkip(db: Db, name: string): Promise<string[] | null> {
  return (await first<{ skipped_for: string[] | null }>(db, sql('migrate/recorded-skip'), { name }))?.skipped_for ?? null;
}

/** Takes migrations off the applied list (skipped ones whose tables exist now). */
export async function forget(trx: Knex.Transaction, names: string[]): Promise<void> {
  await run(trx, sql('migrate/forget'), { names });
}

export async function recordBaseline(trx: Knex.Transaction, name: string): Promise<void> {
  await run(trx, sql('migrate/record-baseline'), { name });
}

/** A statement of a migration file, as the runner rendered it. */
export function migrationStatement(where: string, text: string): Sql {
  return fromMigration(where, text);
}

/** Sends a migration's statement as it is. */
export async function execute(db: Db, statement: Sql): Promise<{ rowCount: number }> {
  return runPlain(db, statement);
}

/** How many rows a preflight query of a migration file returns, and the first `sample`. */
export async function preflightRows(db: Db, preflight: Sql, sample: number): Promise<{ count: number; sample: Record<string, unknown>[] }> {
  const slots = { preflight };
  const count = (await first<{ violations: number }>(db, sql('migrate/preflight-count', slots)))!.violations;
  return { count, sample: count ? await rows(db, sql('migrate/preflight-sample', slots), { sample }) : [] };
}

/** What an up found and did to objects it did not create (sql/migrate create-objects). */
export interface ObjectRecord {
  kind: 'index' | 'column' | 'trigger' | 'function' | 'constraint';
  name: string;
  action: 'adopted' | 'created' | 'replaced';
  definition: string | null;
}

export async function ensureObjects(db: Db): Promise<void> {
  await run(db, sql('migrate/create-objects'));
}

export async function recordObject(db: Db, migration: string, record: ObjectRecord): Promise<void> {
  await run(db, sql('migrate/record-object'), { migration, ...record });
}

/** The records of one migration, in the order they were made; none where the table is absent (plan, status). */
export async function recordedObjects(db: Db, migration: string): Promise<ObjectRecord[]> {
  const present = (await first<{ present: boolean }>(db, sql('migrate/objects-table')))!.present;
  return present ? rows<ObjectRecord>(db, sql('migrate/recorded-objects'), { migration }) : [];
}

export async function forgetObjects(db: Db, migration: string): Promise<void> {
  const present = (await first<{ present: boolean }>(db, sql('migrate/objects-table')))!.present;
  if (present) await run(db, sql('migrate/forget-objects'), { migration });
}
