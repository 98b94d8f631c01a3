/**
 * Nothing is lost: a destructive action opens an archive operation, and every row it deletes or
 * changes is copied into bookops_archive_rows in the same transaction (as jsonb of the whole
 * row), before or in the same statement as the change; rows it inserts on the way (a rebooked
 * interview, a notification log, an outbox message) are recorded as inserted. `restore` replays
 * the operation backwards like an undo log, newest first: inserted rows are removed (refused if
 * changed since), changed rows get their old values back, deleted rows are inserted again, so
 * children deleted before their parents come back after them.
 */
import { userInfo } from 'node:os';
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, RefusedError } from '../errors.js';
import { quoteIdent } from '../data/quote.js';
import { runSql, sqlText, type SqlParams } from '../data/sql-files.js';
import { archiveExists } from './queries.js';


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
  if (await archiveExists(trx)) return;
  await trx.raw("SELECT pg_advisory_xact_lock(hashtext('bookops.archive.ddl'))");
  await trx.raw(sqlText('archive/ensure-tables'));
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
  const sql = `
    WITH gone AS (DELETE FROM ${quoteIdent(table)} AS t WHERE ${where} RETURNING t.*),
    archived AS (
      INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
      SELECT :archiveOperationId, :archiveTable, 'deleted', to_jsonb(gone) FROM gone
    )
    SELECT * FROM gone`;
  const result = await trx.raw(sql, { ...params, archiveOperationId: op.id, archiveTable: table } as Knex.ValueDict);
  return result.rows as T[];
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
    SELECT :archiveOperationId, :archiveTable, '${change}', to_jsonb(matched) FROM matched`;
  const result = await trx.raw(sql, { ...params, archiveOperationId: op.id, archiveTable: table } as Knex.ValueDict);
  return result.rowCount ?? 0;
}

/** Archives (and locks) the current version of rows about to be updated. Returns how many. */
export function archiveBeforeUpdate(trx: Knex.Transaction, op: ArchiveOperation, table: string, where: string, params: SqlParams = {}) {
  return archiveMatching(trx, op, 'updated', table, where, params);
}

/** Records rows the operation has just inserted (matched by `where`), so restore removes them. */
export function archiveInserted(trx: Knex.Transaction, op: ArchiveOperation, table: string, where: string, params: SqlParams = {}) {
  return archiveMatching(trx, op, 'inserted', table, where, params);
}

interface ArchivedRow {
  id: number;
  table_name: string;
  change: 'deleted' | 'updated' | 'inserted';
  row_data: Record<string, unknown>;
}

export interface RestoreResult {
  operation: number;
  /** Deleted rows put back, per table. */
  inserted: Record<string, number>;
  /** Changed rows set back, per table. */
  updated: Record<string, number>;
  /** Rows the operation had inserted, removed again, per table. */
  removed: Record<string, number>;
}

/** Puts an operation's rows back exactly, in one transaction; refuses a second restore. */
export async function restoreOperation(trx: Knex.Transaction, operationId: number): Promise<RestoreResult> {
  if (!(await archiveExists(trx))) throw new NotFoundError(`archive operation ${operationId} does not exist (nothing was ever archived here)`);
  const [op] = await trx('bookops_archive_operations').where({ id: operationId }).forUpdate();
  if (!op) throw new NotFoundError(`archive operation ${operationId} does not exist`);
  if (op.restored_at) throw new RefusedError(`archive operation ${operationId} was already restored at ${new Date(op.restored_at).toISOString()}`);
  const rows = await runSql<ArchivedRow>(trx, 'archive/operation-rows', { operationId });
  const result: RestoreResult = { operation: operationId, inserted: {}, updated: {}, removed: {} };
  const columnsByTable = new Map<string, { name: string; primary_key: boolean }[]>();
  for (const row of rows.reverse()) {
    let columns = columnsByTable.get(row.table_name);
    if (!columns) {
      columns = await runSql<{ name: string; primary_key: boolean }>(trx, 'archive/table-columns', { tableName: row.table_name });
      if (columns.length === 0) throw new ConflictError(`cannot restore: table ${row.table_name} no longer exists`);
      columnsByTable.set(row.table_name, columns);
    }
    if (!(await replay(trx, row, columns))) continue;
    const bucket = row.change === 'deleted' ? result.inserted : row.change === 'updated' ? result.updated : result.removed;
    bucket[row.table_name] = (bucket[row.table_name] ?? 0) + 1;
  }
  await trx('bookops_archive_operations').where({ id: operationId }).update({ restored_at: trx.fn.now(), restored_by: safeOsUser() });
  return result;
}

/** Undoes one archived change; false when there was nothing left to undo. */
async function replay(trx: Knex.Transaction, row: ArchivedRow, columns: { name: string; primary_key: boolean }[]): Promise<boolean> {
  const table = quoteIdent(row.table_name);
  const cols = columns.map((c) => quoteIdent(c.name));
  const record = `jsonb_populate_record(NULL::${table}, :rowData::jsonb)`;
  const keys = columns.filter((c) => c.primary_key).map((c) => quoteIdent(c.name));
  if (row.change === 'inserted') {
    if (keys.length === 0) throw new ConflictError(`cannot remove inserted rows of ${row.table_name}: it has no primary key`);
    const match = keys.map((k) => `t.${k} = r.${k}`).join(' AND ');
    const { rows } = await trx.raw(`SELECT to_jsonb(t) = :rowData::jsonb AS same FROM ${table} AS t, ${record} AS r WHERE ${match}`, {
      rowData: JSON.stringify(row.row_data),
    });
    if (rows.length === 0) return false; // already gone
    if (!rows[0].same) {
      throw new ConflictError(`cannot restore: a row this operation inserted into ${row.table_name} was changed since; nothing was restored`, {
        details: { table: row.table_name, row: row.row_data },
      });
    }
    await trx.raw(`DELETE FROM ${table} AS t USING ${record} AS r WHERE ${match}`, { rowData: JSON.stringify(row.row_data) });
    return true;
  }
  if (row.change === 'deleted') {
    await trx.raw(`INSERT INTO ${table} (${cols.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${cols.map((c) => `r.${c}`).join(', ')} FROM ${record} AS r`, {
      rowData: JSON.stringify(row.row_data),
    }).catch((err: { code?: string }) => {
      if (err.code === '23505') throw new ConflictError(`cannot restore: a row with the same key is back in ${row.table_name}; nothing was restored`);
      throw err;
    });
    return true;
  }
  if (keys.length === 0) throw new ConflictError(`cannot restore updated rows of ${row.table_name}: it has no primary key`);
  await trx.raw(
    `UPDATE ${table} AS t SET (${cols.join(', ')}) = ROW(${cols.map((c) => `r.${c}`).join(', ')}) FROM ${record} AS r WHERE ${keys.map((k) => `t.${k} = r.${k}`).join(' AND ')}`,
    { rowData: JSON.stringify(row.row_data) },
  );
  return true;
}

function safeOsUser(): string | null {
  try {
    return process.env.SUDO_USER || userInfo().username;
  } catch {
    return null;
  }
}
