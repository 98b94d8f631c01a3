/**
 * The archive's tables (sql/archive): operations, archived rows, and the statements that archive
 * rows as they change them. The statements are built here, from a table name and the named
 * predicates a rule's plan carries, so the plan's --dry-run and its run use one builder.
 */
import type { Knex } from 'knex';
import { first, identifier, imageColumn, joined, qualified, rows, run, runStatement, sql, type Db, type Sql, type SqlParams, type Statement } from './sql.js';

export interface ArchiveOperationRow {
  id: number;
  action: string;
  command_line: string;
  db_user: string;
  os_user: string | null;
  created_at: Date;
}

export interface OperationSummary extends ArchiveOperationRow {
  restored_at: Date | null;
  restored_by?: string | null;
  summary: Record<string, unknown>;
  rows: number;
  /** False while the run never reached its end (interrupted, a later batch failed, or still running). */
  complete: boolean;
}

export interface OperationTable {
  table_name: string;
  change: 'deleted' | 'updated' | 'inserted';
  rows: number;
}

export interface ArchivedRow {
  table_name: string;
  change: string;
  row_data: Record<string, unknown>;
}

export interface ArchiveRun {
  table_name: string;
  change: 'deleted' | 'updated' | 'inserted';
  first_id: string;
  last_id: string;
  rows: number;
}

// ---- operations ------------------------------------------------------------------------------

export async function archiveState(db: Db): Promise<{ present: boolean; afterImages: boolean }> {
  const row = (await first<{ present: boolean; after_images: boolean }>(db, sql('archive/state')))!;
  return { present: row.present, afterImages: row.after_images };
}

/** Creates (or completes) the archive tables; serialised so two first uses do not collide. */
export async function ensureArchiveTables(trx: Knex.Transaction): Promise<void> {
  await run(trx, sql('archive/lock-ddl'));
  await run(trx, sql('archive/ensure-tables'));
}

export async function insertOperation(
  trx: Knex.Transaction,
  op: { action: string; commandLine: string; osUser: string | null; summary: Record<string, unknown> },
): Promise<ArchiveOperationRow> {
  return (await first<ArchiveOperationRow>(trx, sql('archive/begin-operation'), { ...op, summary: JSON.stringify(op.summary) }))!;
}

export async function operationHasRows(db: Db, operationId: number): Promise<boolean> {
  return (await first<{ present: boolean }>(db, sql('archive/operation-has-rows'), { operationId }))!.present;
}

export async function setSummary(db: Db, operationId: number, summary: Record<string, unknown>): Promise<void> {
  await run(db, sql('archive/set-summary'), { operationId, summary: JSON.stringify(summary) });
}

export function listOperations(db: Db, limit: number): Promise<OperationSummary[]> {
  return rows<OperationSummary>(db, sql('archive/list-operations'), { limit });
}

export function operation(db: Db, operationId: number): Promise<OperationSummary | undefined> {
  return first<OperationSummary>(db, sql('archive/operation'), { operationId });
}

export function lockOperation(trx: Knex.Transaction, operationId: number): Promise<{ id: number; restored_at: Date | null } | undefined> {
  return first(trx, sql('archive/lock-operation'), { operationId });
}

export async function markRestored(trx: Knex.Transaction, operationId: number, restoredBy: string | null): Promise<void> {
  await run(trx, sql('archive/mark-restored'), { operationId, restoredBy });
}

export function operationTables(db: Db, operationId: number): Promise<OperationTable[]> {
  return rows<OperationTable>(db, sql('archive/operation-tables'), { operationId });
}

export function operationSample(db: Db, operationId: number, limit: number): Promise<ArchivedRow[]> {
  return rows<ArchivedRow>(db, sql('archive/operation-sample'), { operationId, limit });
}

export function operationRuns(db: Db, operationId: number): Promise<ArchiveRun[]> {
  return rows<ArchiveRun>(db, sql('archive/operation-runs'), { operationId });
}

// ---- statements that change rows ---------------------------------------------------------------

const onTable = (table: string, slots: Record<string, Sql>) => ({ table: identifier(table), ...slots });

/**
 * DELETE the rows of `where` and archive each one in the same statement. `archiveOperationId` is
 * null in a plan shown before the run (--dry-run): the operation exists only once it runs.
 */
export function deleteArchivedStatement(table: string, where: Sql, params: SqlParams, operationId: number | null, only: 'rows' | 'count' = 'rows'): Statement {
  return {
    sql: sql(only === 'rows' ? 'archive/delete-archived' : 'archive/delete-archived-count', onTable(table, { where })),
    params: { ...params, archiveOperationId: operationId, archiveTable: table },
  };
}

/** Archive (and lock) the rows of `where` as they are, before a rule's own statement updates them. */
export function archiveBeforeUpdateStatement(table: string, where: Sql, params: SqlParams, operationId: number | null): Statement {
  return { sql: sql('archive/archive-before-update', onTable(table, { where })), params: { ...params, archiveOperationId: operationId, archiveTable: table } };
}

/** UPDATE the rows of `where` with `set`, archiving each as it was and as it is left, in one statement. */
export function archiveAndUpdateStatement(table: string, set: Sql, where: Sql, params: SqlParams, operationId: number | null): Statement {
  return { sql: sql('archive/archive-and-update', onTable(table, { set, where })), params: { ...params, archiveOperationId: operationId, archiveTable: table } };
}

/** Record rows just inserted (by id), so a restore removes them; `ids` null in a plan shown before the run. */
export function recordInsertedStatement(table: string, ids: Array<number | string> | null, operationId: number | null): Statement {
  return { sql: sql('archive/record-inserted', onTable(table, {})), params: { ids, archiveOperationId: operationId, archiveTable: table } };
}

/** The rows of a page of planned ids that still match the predicate. */
export function pageOf(predicate: Sql): Sql {
  return sql('archive/page', { predicate });
}

/** Rows by id (alias t). */
export function byIds(): Sql {
  return sql('archive/by-ids');
}

/** The plan of a batched change: every matching id, in one scan. */
export function planIdsStatement(table: string, where: Sql, params: SqlParams): Statement {
  const slots = onTable(table, { where });
  return { sql: sql('archive/plan-ids', { ...slots, found: sql('archive/plan-ids-found', slots) }), params };
}

export async function countWhere(db: Db, table: string, where: Sql, params: SqlParams): Promise<number> {
  return (await first<{ n: number }>(db, sql('archive/count-where', onTable(table, { where })), params))!.n;
}

export function sampleWhere(db: Db, table: string, where: Sql, params: SqlParams, sample: number): Promise<Record<string, unknown>[]> {
  return rows(db, sql('archive/sample-where', onTable(table, { where })), { ...params, sample });
}

export function rowsById(db: Db, table: string, ids: Array<number | string>): Promise<Record<string, unknown>[]> {
  return rows(db, sql('archive/rows-by-id', onTable(table, {})), { ids });
}

// ---- keys of other tables ------------------------------------------------------------------------

export interface CascadingKey {
  constraint_name: string;
  /** The referencing table. */
  table_name: string;
  on_delete: string;
  columns: string[];
  ref_columns: string[];
}

/** Foreign keys into `table` whose ON DELETE changes rows of their own table (cascade, set null, set default). */
export function cascadingKeys(db: Db, table: string): Promise<CascadingKey[]> {
  return rows<CascadingKey>(db, sql('archive/cascading-keys'), { tableName: table });
}

export interface ForeignKeyColumns {
  /** The referencing table. */
  table_name: string;
  columns: string[];
  ref_columns: string[];
}

function referencing(ref: string, key: ForeignKeyColumns, table: string, where: Sql): Sql {
  const cols = (alias: string, names: string[]) => joined(names.map((n) => qualified(alias, n)));
  return sql(ref, { child: identifier(key.table_name), columns: cols('c', key.columns), refColumns: cols('t', key.ref_columns), table: identifier(table), where });
}

/** Whether a row references, through `key`, a row of `table` matched by `where`. */
export async function anyReferencing(db: Db, key: ForeignKeyColumns, table: string, where: Sql, params: SqlParams): Promise<boolean> {
  return (await first<{ hit: boolean }>(db, referencing('archive/any-referencing', key, table, where), params))!.hit;
}

/** How many rows reference, through `key`, the rows of `table` matched by `where`. */
export async function countReferencing(db: Db, key: ForeignKeyColumns, table: string, where: Sql, params: SqlParams): Promise<number> {
  return (await first<{ n: number }>(db, referencing('archive/count-referencing', key, table, where), params))!.n;
}

// ---- after images and restore ----------------------------------------------------------------

export interface TableColumn {
  name: string;
  primary_key: boolean;
  /** As format_type names it. */
  type: string;
}

/** The columns a restore writes (not dropped, not generated), marked when part of the primary key; none when the table is gone. */
export function tableColumns(db: Db, table: string): Promise<TableColumn[]> {
  return rows<TableColumn>(db, sql('archive/table-columns'), { tableName: table });
}

/** The pieces of the restore statements for one table: its columns and primary key as SQL. */
function tableSlots(table: string, columns: TableColumn[]): Record<string, Sql> {
  const names = columns.map((c) => c.name);
  const keys = columns.filter((c) => c.primary_key).map((c) => c.name);
  const prefixed = (alias: string, list: string[]) => joined(list.map((n) => qualified(alias, n)));
  // t.k = r.k AND ...: every part an identifier of the table's primary key.
  const match = (other: string) => joined(keys.map((k) => joined([qualified('t', k), qualified(other, k)], ' = ')), ' AND ');
  // t.k = the key of an archive row's image (a.row_data), each part cast to its column's type.
  const imageMatch = joined(
    columns.filter((c) => c.primary_key).map((c) => joined([qualified('t', c.name), imageColumn('a.row_data', c.name, c.type)], ' = ')),
    ' AND ',
  );
  return {
    table: identifier(table),
    columns: joined(names.map(identifier)),
    rColumns: prefixed('r', names),
    rKeys: prefixed('r', keys),
    keyMatch: match('r'),
    lastKeyMatch: match('last'),
    afterKeyMatch: imageMatch,
  };
}

/** Records the rows `ids` of the archive as their table holds them now (after_data). */
export async function recordAfterImages(trx: Knex.Transaction, table: string, columns: TableColumn[], ids: string[]): Promise<void> {
  await runStatement(trx, recordAfterImagesStatement(table, columns, ids));
}

/** The statement of recordAfterImages; `ids` null where they are not known yet (a plan shown). */
export function recordAfterImagesStatement(table: string, columns: TableColumn[], ids: string[] | null): Statement {
  return { sql: sql('archive/record-after-images', tableSlots(table, columns)), params: { ids } };
}

type RunParams = { operationId: number; firstId: string; lastId: string };

/** Puts the rows of a run of deleted rows back as they were. */
export function reinsertDeletedStatement(table: string, columns: TableColumn[], params: RunParams): Statement {
  return { sql: sql('archive/reinsert-deleted', tableSlots(table, columns)), params };
}

/** Finds a row of a run of inserted rows that was changed since (removing it would lose that change). */
export function insertedChangedSinceStatement(table: string, columns: TableColumn[], params: RunParams): Statement {
  return { sql: sql('archive/inserted-changed-since', { ...tableSlots(table, columns), image: qualified('r', 'bookops_row_data') }), params };
}

/** Removes the rows of a run of inserted rows. */
export function removeInsertedStatement(table: string, columns: TableColumn[], params: RunParams): Statement {
  return { sql: sql('archive/remove-inserted', tableSlots(table, columns)), params };
}

/** Sets the rows of a run of updated rows back to their oldest archived version. */
export function setBackUpdatedStatement(table: string, columns: TableColumn[], params: RunParams): Statement {
  return { sql: sql('archive/set-back-updated', tableSlots(table, columns)), params };
}

/** Finds a row the operation updated that was changed or deleted since (its after-image no longer matches). */
export function updatedChangedSinceStatement(table: string, columns: TableColumn[], operationId: number): Statement {
  return { sql: sql('archive/updated-changed-since', { ...tableSlots(table, columns), image: qualified('last', 'bookops_after') }), params: { operationId, tableName: table } };
}
