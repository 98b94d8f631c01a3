/**
 * Nothing is lost: a destructive action opens an archive operation, and every row it deletes or
 * changes is copied into bookops_archive_rows in the same transaction (as jsonb of the whole
 * row), before or in the same statement as the change; rows it inserts on the way (a rebooked
 * interview, a notification log, an outbox message) are recorded as inserted. `archive restore`
 * undoes it (src/archive/restore.ts).
 */
import { userInfo } from 'node:os';
import type { Knex } from 'knex';
import { RefusedError } from '../errors.js';
import { quoteIdent } from '../data/quote.js';
import { runSql, sqlText, type SqlParams } from '../data/sql-files.js';
import { archiveExists } from './queries.js';
import { anyReferencing } from './referencing.js';

export interface ArchiveOperation {
  id: number;
  action: string;
  command_line: string;
  db_user: string;
  os_user: string | null;
  created_at: Date;
}

/** Creates the archive tables when missing; serialised so two first uses do not collide. */
export async function ensureArchive(trx: Knex.Transaction): Promise<void> {
  if ((await archiveExists(trx)) && (await hasAfterImages(trx))) return;
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('bookops.archive.ddl'))");
  await trx.raw(sqlText('archive/ensure-tables'));
}

async function hasAfterImages(trx: Knex.Transaction): Promise<boolean> {
  const { rows } = await trx.raw("SELECT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'bookops_archive_rows'::regclass AND attname = 'after_data' AND NOT attisdropped) AS present");
  return rows[0].present;
}

export async function beginOperation(
  trx: Knex.Transaction,
  op: { action: string; commandLine: string; summary?: Record<string, unknown> },
): Promise<ArchiveOperation> {
  await ensureArchive(trx);
  const [row] = await runSql<ArchiveOperation>(trx, 'archive/begin-operation', {
    action: op.action,
    commandLine: op.commandLine,
    osUser: safeOsUser(),
    summary: JSON.stringify(op.summary ?? {}),
  });
  return row;
}

/** Whether an operation archived any row (in this transaction's view). */
export async function operationHasRows(trx: Knex.Transaction, op: ArchiveOperation): Promise<boolean> {
  const { rows } = await trx.raw('SELECT EXISTS (SELECT FROM bookops_archive_rows WHERE operation_id = :id) AS present', { id: op.id });
  return rows[0].present;
}

export async function setSummary(trx: Knex.Transaction, op: ArchiveOperation, summary: Record<string, unknown>): Promise<void> {
  await trx('bookops_archive_operations').where({ id: op.id }).update({ summary: JSON.stringify(summary) });
}

/**
 * DELETE FROM <table> AS t WHERE <where> and archive every deleted row, in one statement.
 * `where` is SQL from our own code (never user text) with named parameters; rows are returned.
 */
export async function deleteArchived<T = Record<string, unknown>>(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  table: string,
  where: string,
  params: SqlParams = {},
): Promise<T[]> {
  await refuseUnarchivedCascades(trx, table, where, params);
  const result = await trx.raw(deleteArchivedSql(table, where, 'SELECT * FROM gone'), { ...params, archiveOperationId: op.id, archiveTable: table } as Knex.ValueDict);
  return result.rows as T[];
}

/** deleteArchived for large batches: the same statement, only the count comes back to the client. */
export async function deleteArchivedCount(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  table: string,
  where: string,
  params: SqlParams = {},
): Promise<number> {
  await refuseUnarchivedCascades(trx, table, where, params);
  const result = await trx.raw(deleteArchivedSql(table, where, 'SELECT count(*)::integer AS deleted FROM gone'), {
    ...params,
    archiveOperationId: op.id,
    archiveTable: table,
  } as Knex.ValueDict);
  return result.rows[0].deleted;
}

interface CascadingKey {
  constraint_name: string;
  table_name: string;
  on_delete: string;
  columns: string[];
  ref_columns: string[];
}

/**
 * A key with ON DELETE CASCADE / SET NULL / SET DEFAULT into `table` would change rows the
 * archive never sees (a feedback table the site added under interviews, say): refuse before
 * deleting when any row it references is among those about to go. Keys whose referencing rows
 * were deleted (and archived) first, as a number's tree is, find nothing and pass.
 */
async function refuseUnarchivedCascades(trx: Knex.Transaction, table: string, where: string, params: SqlParams): Promise<void> {
  const keys = await runSql<CascadingKey>(trx, 'archive/cascading-keys', { tableName: table });
  for (const key of keys) {
    if (await anyReferencing(trx, key, table, where, params)) {
      throw new RefusedError(
        `deleting these ${table} rows would ${key.on_delete} rows of ${key.table_name} (${key.constraint_name}), which bookops cannot archive; nothing was deleted`,
        { hint: `remove or archive those ${key.table_name} rows yourself first`, details: { constraint: key.constraint_name, table: key.table_name } },
      );
    }
  }
}

function deleteArchivedSql(table: string, where: string, select: string): string {
  return `
    WITH gone AS (DELETE FROM ${quoteIdent(table)} AS t WHERE ${where} RETURNING t.*),
    archived AS (
      INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
      SELECT :archiveOperationId, :archiveTable, 'deleted', to_jsonb(gone) FROM gone
    )
    ${select}`;
}

/** Copies the rows of `table` matched by `where` into the archive as `change`; returns how many. */
async function archiveMatching(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  change: 'updated' | 'inserted',
  table: string,
  where: string,
  params: SqlParams,
): Promise<number> {
  // FOR NO KEY UPDATE keeps a row as archived until commit without blocking inserts of children
  // that reference it (a log written for a slot being approved).
  const lock = change === 'updated' ? 'FOR NO KEY UPDATE' : '';
  const sql = `
    WITH matched AS (SELECT t.* FROM ${quoteIdent(table)} AS t WHERE ${where} ${lock})
    INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
    SELECT :archiveOperationId, :archiveTable, '${change}', to_jsonb(matched) FROM matched
    RETURNING id`;
  const result = await trx.raw(sql, { ...params, archiveOperationId: op.id, archiveTable: table } as Knex.ValueDict);
  const ids = (result.rows as Array<{ id: string }>).map((r) => r.id);
  if (change === 'updated' && ids.length) {
    const byTable = updatedNotRecorded.get(op) ?? new Map<string, string[]>();
    byTable.set(table, [...(byTable.get(table) ?? []), ...ids]);
    updatedNotRecorded.set(op, byTable);
  }
  return ids.length;
}

/** Archive rows of updated rows whose after-image is not recorded yet, by operation and table. */
const updatedNotRecorded = new WeakMap<ArchiveOperation, Map<string, string[]>>();

/** Archives (and locks) the current version of rows about to be updated. Returns how many. */
export function archiveBeforeUpdate(trx: Knex.Transaction, op: ArchiveOperation, table: string, where: string, params: SqlParams = {}) {
  return archiveMatching(trx, op, 'updated', table, where, params);
}

/**
 * Called as each transaction of an operation ends: records the rows it updated as they are now
 * (after_data), so `archive restore` can refuse to overwrite a row someone changed since.
 */
export async function recordAfterImages(trx: Knex.Transaction, op: ArchiveOperation): Promise<void> {
  const byTable = updatedNotRecorded.get(op);
  updatedNotRecorded.delete(op);
  for (const [tableName, ids] of byTable ?? []) {
    const keys = primaryKey(await tableColumns(trx, tableName));
    if (keys.length === 0) continue;
    const table = quoteIdent(tableName);
    await trx.raw(
      `UPDATE bookops_archive_rows AS a SET after_data = to_jsonb(t)
       FROM ${table} AS t
       WHERE a.id = ANY(CAST(:ids AS bigint[]))
         AND ${keys.map((k) => `t.${k} = (jsonb_populate_record(NULL::${table}, a.row_data)).${k}`).join(' AND ')}`,
      { ids },
    );
  }
}

export interface TableColumn {
  name: string;
  primary_key: boolean;
}

/** The columns a restore writes (not dropped, not generated), marked when part of the primary key; none when the table is gone. */
export function tableColumns(trx: Knex.Transaction, tableName: string): Promise<TableColumn[]> {
  return runSql<TableColumn>(trx, 'archive/table-columns', { tableName });
}

/** The primary key columns, quoted for SQL. */
export function primaryKey(columns: TableColumn[]): string[] {
  return columns.filter((c) => c.primary_key).map((c) => quoteIdent(c.name));
}

/** Records rows the operation has just inserted (matched by `where`), so restore removes them. */
export function archiveInserted(trx: Knex.Transaction, op: ArchiveOperation, table: string, where: string, params: SqlParams = {}) {
  return archiveMatching(trx, op, 'inserted', table, where, params);
}

export function safeOsUser(): string | null {
  try {
    return process.env.SUDO_USER || userInfo().username;
  } catch {
    return null;
  }
}
