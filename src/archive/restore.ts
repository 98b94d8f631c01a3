/**
 * `archive restore`: the undo of an archive operation, in one transaction. The operation's rows
 * are replayed backwards like an undo log, newest first: rows it inserted are removed (refused if
 * changed since), rows it changed get their old values back, rows it deleted are inserted again,
 * so children deleted before their parents come back after them.
 *
 * Set-based: the archive is read as runs of one table and one change (sql/archive/operation-runs)
 * and each run is undone by one statement that reads its rows from the archive on the server, so
 * restoring a cleanup of a million rows costs a few statements, not a million round trips.
 */
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, RefusedError } from '../errors.js';
import { quoteIdent } from '../data/quote.js';
import { runSql } from '../data/sql-files.js';
import { primaryKey, safeOsUser, tableColumns, type TableColumn } from './archive.js';
import { archiveExists } from './queries.js';
import { restoreConflict } from './restore-errors.js';

export interface RestoreResult {
  operation: number;
  /** Deleted rows put back, per table. */
  inserted: Record<string, number>;
  /** Changed rows set back, per table. */
  updated: Record<string, number>;
  /** Rows the operation had inserted, removed again, per table. */
  removed: Record<string, number>;
}

interface Run {
  table_name: string;
  change: 'deleted' | 'updated' | 'inserted';
  first_id: string;
  last_id: string;
  rows: number;
}

/** Puts an operation's rows back exactly, in one transaction; refuses a second restore. */
export async function restoreOperation(trx: Knex.Transaction, operationId: number): Promise<RestoreResult> {
  if (!(await archiveExists(trx))) throw new NotFoundError(`archive operation ${operationId} does not exist (nothing was ever archived here)`);
  const [op] = await trx('bookops_archive_operations').where({ id: operationId }).forUpdate();
  if (!op) throw new NotFoundError(`archive operation ${operationId} does not exist`);
  if (op.restored_at) throw new RefusedError(`archive operation ${operationId} was already restored at ${new Date(op.restored_at).toISOString()}`);
  const runs = await runSql<Run>(trx, 'archive/operation-runs', { operationId });
  const result: RestoreResult = { operation: operationId, inserted: {}, updated: {}, removed: {} };
  const columnsByTable = new Map<string, TableColumn[]>();
  for (const tableName of new Set(runs.map((r) => r.table_name))) {
    const columns = await tableColumns(trx, tableName);
    if (columns.length === 0) throw new ConflictError(`cannot restore: table ${tableName} no longer exists`);
    columnsByTable.set(tableName, columns);
    if (runs.some((r) => r.table_name === tableName && r.change === 'updated')) await refuseChangedSince(trx, operationId, tableName, columns);
  }
  for (const run of runs) {
    const done = await undoRun(trx, operationId, run, columnsByTable.get(run.table_name)!);
    if (done === 0) continue;
    const bucket = run.change === 'deleted' ? result.inserted : run.change === 'updated' ? result.updated : result.removed;
    bucket[run.table_name] = (bucket[run.table_name] ?? 0) + done;
  }
  await trx('bookops_archive_operations').where({ id: operationId }).update({ restored_at: trx.fn.now(), restored_by: safeOsUser() });
  return result;
}

/**
 * A row the operation updated must still be as the operation left it (after_data, recorded when
 * its transaction ended): setting it back otherwise would silently overwrite what someone did
 * since, a booking made after a release for instance. Only each row's last change in the
 * operation is compared; earlier ones are undone in turn. Archives without after_data (older
 * ones, or rows a rule wrote outside the destructive flow) are not compared.
 */
async function refuseChangedSince(trx: Knex.Transaction, operationId: number, tableName: string, columns: TableColumn[]): Promise<void> {
  const table = quoteIdent(tableName);
  const keys = primaryKey(columns);
  if (keys.length === 0) return;
  const { rows } = await trx.raw(
    `SELECT last.bookops_after FROM (
       SELECT DISTINCT ON (${keys.map((k) => `r.${k}`).join(', ')}) ${keys.map((k) => `r.${k}`).join(', ')}, a.change AS bookops_change, a.after_data AS bookops_after
       FROM bookops_archive_rows AS a
       CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, a.row_data) AS r
       WHERE a.operation_id = :operationId AND a.table_name = :tableName
       ORDER BY ${keys.map((k) => `r.${k}`).join(', ')}, a.id DESC
     ) AS last
     WHERE last.bookops_change = 'updated' AND last.bookops_after IS NOT NULL
       AND NOT EXISTS (SELECT FROM ${table} AS t WHERE ${keys.map((k) => `t.${k} = last.${k}`).join(' AND ')} AND to_jsonb(t) = last.bookops_after)
     LIMIT 1`,
    { operationId, tableName },
  );
  if (rows.length > 0) {
    throw new ConflictError(`cannot restore: a row this operation changed in ${tableName} was changed or deleted since; nothing was restored`, {
      hint: 'bookops archive show <op> lists what the operation changed; compare it with the row now',
      details: { table: tableName, row: rows[0].bookops_after },
    });
  }
}

/** Undoes one run with one statement (two for inserted rows: the check, then the delete); returns the rows it touched. */
async function undoRun(trx: Knex.Transaction, operationId: number, run: Run, columns: TableColumn[]): Promise<number> {
  try {
    return await undoRunStatements(trx, operationId, run, columns);
  } catch (err) {
    throw restoreConflict(err, run);
  }
}

async function undoRunStatements(trx: Knex.Transaction, operationId: number, run: Run, columns: TableColumn[]): Promise<number> {
  const table = quoteIdent(run.table_name);
  const cols = columns.map((c) => quoteIdent(c.name));
  const keys = primaryKey(columns);
  const match = keys.map((k) => `t.${k} = r.${k}`).join(' AND ');
  // The run's archived rows, read on the server as records of the table's current shape.
  const source = `
    FROM bookops_archive_rows AS a
    CROSS JOIN LATERAL jsonb_populate_record(NULL::${table}, a.row_data) AS r
    WHERE a.operation_id = :operationId AND a.id BETWEEN :firstId AND :lastId`;
  const params = { operationId, firstId: run.first_id, lastId: run.last_id };

  if (run.change === 'deleted') {
    const insert = `INSERT INTO ${table} (${cols.join(', ')}) OVERRIDING SYSTEM VALUE SELECT ${cols.map((c) => `r.${c}`).join(', ')} ${source}`;
    const res = await trx.raw(insert, params);
    return res.rowCount ?? 0;
  }
  if (keys.length === 0) throw new ConflictError(`cannot restore ${run.change} rows of ${run.table_name}: it has no primary key`);

  if (run.change === 'inserted') {
    const changed = await trx.raw(`SELECT a.row_data ${source} AND EXISTS (SELECT 1 FROM ${table} AS t WHERE ${match} AND to_jsonb(t) <> a.row_data) LIMIT 1`, params);
    if (changed.rows.length > 0) {
      throw new ConflictError(`cannot restore: a row this operation inserted into ${run.table_name} was changed since; nothing was restored`, {
        details: { table: run.table_name, row: changed.rows[0].row_data },
      });
    }
    // Rows already gone are left so: there is nothing to undo for them.
    const res = await trx.raw(`DELETE FROM ${table} AS t USING (SELECT r.* ${source}) AS r WHERE ${match}`, params);
    return res.rowCount ?? 0;
  }

  // A row changed twice in one run gets the oldest of its archived versions, as a row-by-row undo would leave it.
  const oldest = `SELECT DISTINCT ON (${keys.map((k) => `r.${k}`).join(', ')}) r.* ${source} ORDER BY ${keys.map((k) => `r.${k}`).join(', ')}, a.id`;
  const res = await trx.raw(`UPDATE ${table} AS t SET (${cols.join(', ')}) = ROW(${cols.map((c) => `r.${c}`).join(', ')}) FROM (${oldest}) AS r WHERE ${match}`, params);
  return res.rowCount ?? 0;
}
