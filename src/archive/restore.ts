/**
 * `archive restore`: the undo of an archive operation, in one transaction. The operation's rows
 * are replayed backwards like an undo log, newest first: rows it inserted are removed (refused if
 * changed since), rows it changed get their old values back, rows it deleted are inserted again,
 * so children deleted before their parents come back after them.
 *
 * Set-based: the archive is read as runs of one table and one change (operation-runs) and each
 * run is undone by one statement that reads its rows from the archive on the server, so
 * restoring a cleanup of a million rows costs a few statements, not a million round trips. The
 * statements are planned once (restorePlan): a dry run shows them, the restore sends them.
 */
import type { Knex } from 'knex';
import { show, type ShownStatement } from './changes.js';
import { ConflictError, NotFoundError, RefusedError } from '../errors.js';
import * as archive from '../data/archive.repository.js';
import type { ArchiveRun, OperationSummary, OperationTable, ArchivedRow, TableColumn } from '../data/archive.repository.js';
import { first, runStatement, type Db, type Statement } from '../data/sql.js';
import { archiveExists, safeOsUser } from './operation.js';
import { restoreConflict } from './restore-errors.js';
import { asInvoked } from '../invocation.js';

export interface OperationDetail extends OperationSummary {
  tables: OperationTable[];
  sample: ArchivedRow[];
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

/** One statement of a restore: a check that must find nothing, or the undo of one run. */
type RestoreStep =
  | { kind: 'updated-since'; table: string; statement: Statement }
  | { kind: 'inserted-since'; run: ArchiveRun; statement: Statement }
  | { kind: 'undo'; run: ArchiveRun; statement: Statement };

export async function listOperations(db: Db, limit: number): Promise<OperationSummary[]> {
  return (await archiveExists(db)) ? archive.listOperations(db, limit) : [];
}

/** One operation with its rows per table and its first archived rows; NotFoundError when there is none. */
export async function showOperation(db: Db, operationId: number, sampleRows: number): Promise<OperationDetail> {
  const op = (await archiveExists(db)) ? await archive.operation(db, operationId) : undefined;
  if (!op) throw new NotFoundError(`archive operation ${operationId} does not exist`, { hint: asInvoked('archive list') });
  const [tables, sample] = [await archive.operationTables(db, operationId), await archive.operationSample(db, operationId, sampleRows)];
  return { ...op, tables, sample };
}

/**
 * The statements a restore sends, in order: the checks that no row was changed since (per table
 * with updated rows, per run of inserted rows), all before the first undo (an undo can fire a
 * site's trigger that changes another row of the operation); then per run, newest first, its undo.
 */
async function restoreSteps(db: Db, operationId: number): Promise<RestoreStep[]> {
  const runs = await archive.operationRuns(db, operationId);
  const columnsByTable = new Map<string, TableColumn[]>();
  const steps: RestoreStep[] = [];
  for (const table of new Set(runs.map((r) => r.table_name))) {
    const columns = await archive.tableColumns(db, table);
    if (columns.length === 0) throw new ConflictError(`cannot restore: table ${table} no longer exists`);
    columnsByTable.set(table, columns);
    // A row the operation updated must still be as the operation left it (after_data): setting it
    // back otherwise would silently overwrite what someone did since (a booking made after a release).
    if (runs.some((r) => r.table_name === table && r.change === 'updated') && columns.some((c) => c.primary_key)) {
      steps.push({ kind: 'updated-since', table, statement: archive.updatedChangedSinceStatement(table, columns, operationId) });
    }
  }
  const undo: RestoreStep[] = [];
  for (const run of runs) {
    const columns = columnsByTable.get(run.table_name)!;
    const params = { operationId, firstId: run.first_id, lastId: run.last_id };
    if (run.change !== 'deleted' && !columns.some((c) => c.primary_key)) {
      throw new ConflictError(`cannot restore ${run.change} rows of ${run.table_name}: it has no primary key`);
    }
    if (run.change === 'deleted') undo.push({ kind: 'undo', run, statement: archive.reinsertDeletedStatement(run.table_name, columns, params) });
    if (run.change === 'updated') undo.push({ kind: 'undo', run, statement: archive.setBackUpdatedStatement(run.table_name, columns, params) });
    if (run.change === 'inserted') {
      steps.push({ kind: 'inserted-since', run, statement: archive.insertedChangedSinceStatement(run.table_name, columns, params) });
      undo.push({ kind: 'undo', run, statement: archive.removeInsertedStatement(run.table_name, columns, params) });
    }
  }
  return [...steps, ...undo];
}

/** The statements a restore of the operation sends now, as the driver receives them (a dry run shows them). */
export async function restoreStatements(db: Db, operationId: number): Promise<ShownStatement[]> {
  return (await restoreSteps(db, operationId)).map((s) => show(db, s.statement, s.kind === 'undo' ? `${s.run.change} ${s.run.table_name}: ${s.run.rows} row(s) back` : `check: ${s.kind}`));
}

/** Puts an operation's rows back exactly, in one transaction; refuses a second restore. */
export async function restoreOperation(trx: Knex.Transaction, operationId: number): Promise<RestoreResult> {
  if (!(await archiveExists(trx))) throw new NotFoundError(`archive operation ${operationId} does not exist (nothing was ever archived here)`);
  const op = await archive.lockOperation(trx, operationId);
  if (!op) throw new NotFoundError(`archive operation ${operationId} does not exist`);
  if (op.restored_at) throw new RefusedError(`archive operation ${operationId} was already restored at ${new Date(op.restored_at).toISOString()}`);
  const result: RestoreResult = { operation: operationId, inserted: {}, updated: {}, removed: {} };
  for (const step of await restoreSteps(trx, operationId)) {
    if (step.kind === 'updated-since') {
      const changed = await first<{ bookops_after: Record<string, unknown> }>(trx, step.statement.sql, step.statement.params);
      if (changed) {
        throw new ConflictError(`cannot restore: a row this operation changed in ${step.table} was changed or deleted since; nothing was restored`, {
          hint: `${asInvoked(`archive show ${operationId}`)} lists what the operation changed; compare it with the row now`,
          details: { table: step.table, row: changed.bookops_after },
        });
      }
      continue;
    }
    try {
      if (step.kind === 'inserted-since') {
        const changed = await first<{ row_data: Record<string, unknown> }>(trx, step.statement.sql, step.statement.params);
        if (changed) {
          throw new ConflictError(`cannot restore: a row this operation inserted into ${step.run.table_name} was changed since; nothing was restored`, {
            details: { table: step.run.table_name, row: changed.row_data },
          });
        }
        continue;
      }
      const done = (await runStatement(trx, step.statement)).rowCount;
      if (done === 0) continue;
      const bucket = step.run.change === 'deleted' ? result.inserted : step.run.change === 'updated' ? result.updated : result.removed;
      bucket[step.run.table_name] = (bucket[step.run.table_name] ?? 0) + done;
    } catch (err) {
      throw restoreConflict(err, operationId, step.run);
    }
  }
  await archive.markRestored(trx, operationId, safeOsUser());
  return result;
}
