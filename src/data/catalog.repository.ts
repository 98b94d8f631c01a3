/**
 * The catalog (sql/catalog): which tables, columns, keys and indexes exist, found whatever their
 * names. Read by every floor that adapts to the database it finds.
 */
import { completeModules, MODULE_NAMES, MODULES, type ModuleName } from '../platform/modules.js';
import { findings, type Findings } from './findings.js';
import { first, rows, sql, type Db } from './sql.js';

/** Which of `names` exist as tables in the current schema. */
export async function existingTables(db: Db, names: readonly string[]): Promise<string[]> {
  const found = new Set((await rows<{ name: string }>(db, sql('catalog/tables'), { names: [...names] })).map((r) => r.name));
  return names.filter((n) => found.has(n));
}

/** The platform tables that exist in the current schema, in module order. */
export function platformTables(db: Db): Promise<string[]> {
  return existingTables(db, MODULE_NAMES.flatMap((m) => [...MODULES[m]]));
}

/** Modules whose tables all exist in the current schema. */
export async function presentModules(db: Db): Promise<ModuleName[]> {
  return completeModules(await platformTables(db));
}

export interface Column {
  name: string;
  type: string;
}

/** The columns of a table of the current schema (none when it is absent). */
export function columns(db: Db, table: string): Promise<Column[]> {
  return rows<Column>(db, sql('catalog/columns'), { tableName: table });
}

/**
 * Whether a column holds the values of a type as a migration spells it (the type or a domain over
 * it, modifiers aside), with that type named; `same` null when the server knows no such type.
 */
export async function sameBaseType(db: Db, tableName: string, columnName: string, typeText: string): Promise<{ same: boolean | null; wanted: string | null } | undefined> {
  return first(db, sql('catalog/same-base-type'), { tableName, columnName, typeText });
}

export async function hasColumn(db: Db, table: string, column: string): Promise<boolean> {
  return (await columns(db, table)).some((c) => c.name === column);
}

/** server_version_num, e.g. 150020. */
export async function serverVersion(db: Db): Promise<number> {
  return (await first<{ version: number }>(db, sql('catalog/server-version')))!.version;
}

/** The citus extension's version when this database is a Citus coordinator, else null. */
export async function citusVersion(db: Db): Promise<string | null> {
  return (await first<{ version: string }>(db, sql('catalog/citus-extension')))?.version ?? null;
}

/** The schema statements run in (the first of the search_path that exists). */
export async function currentSchema(db: Db): Promise<string> {
  return (await first<{ schema: string }>(db, sql('catalog/current-schema')))!.schema;
}

/** An index of the current schema by name, and whether it is usable (INVALID: a failed concurrent build). */
export function indexState(db: Db, indexName: string): Promise<{ valid: boolean; ready: boolean } | undefined> {
  return first<{ valid: boolean; ready: boolean }>(db, sql('catalog/index-state'), { indexName });
}

/** INVALID indexes (audit schema.invalid-indexes). */
export function invalidIndexes(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'catalog/invalid-indexes', {}, sample);
}

export interface ForeignKeyEdge {
  constraint_name: string;
  table_name: string;
  columns: string[];
  ref_table: string;
  ref_columns: string[];
  on_delete: string;
  blocks_delete: boolean;
  unvalidated: boolean;
}

/** Every foreign key a delete of a `root` row reaches among `tables` (migration 0005's walk). */
export function foreignKeyTree(db: Db, root: string, tables: readonly string[]): Promise<ForeignKeyEdge[]> {
  return rows<ForeignKeyEdge>(db, sql('catalog/fk-tree'), { root, tables: tables.join(',') });
}

/** Runs a catalog query a migration names (-- bookops:each catalog/<name> key=value ...). */
export function catalogRows(db: Db, ref: string, params: Record<string, string>): Promise<Record<string, unknown>[]> {
  return rows(db, sql(ref), params);
}

// ---- the chat objects (seed 004) -----------------------------------------------------------------

export interface FunctionRow {
  name: string;
  arguments: string;
  result: string;
  language: string;
  source: string;
  config: string[];
}

export interface TriggerRow {
  name: string;
  table_name: string;
  enabled_code: string;
  enabled_state: string;
  for_each_row: boolean;
  timing: string;
  events: string[];
  update_columns: string[];
  function_name: string;
  definition: string;
}

/** Functions of the current schema by name. */
export function functionsNamed(db: Db, names: string[]): Promise<FunctionRow[]> {
  return rows<FunctionRow>(db, sql('catalog/chat-functions'), { names });
}

/** Triggers of the current schema by name, on whatever table. */
export function triggersNamed(db: Db, names: string[]): Promise<TriggerRow[]> {
  return rows<TriggerRow>(db, sql('catalog/chat-triggers'), { names });
}

export interface UniqueIndex {
  index_name: string;
  /** The constraint the index backs, or null for a plain unique index. */
  constraint_name: string | null;
  valid: boolean;
  immediate: boolean;
  predicate: string | null;
  definition: string;
}

/** The unique indexes on exactly `columns` of a table (any order), whatever their names; none when the table is absent. */
export function uniqueIndexesOn(db: Db, table: string, columns: readonly string[]): Promise<UniqueIndex[]> {
  return rows<UniqueIndex>(db, sql('catalog/unique-indexes-on-exactly'), { tableName: table, columns: [...columns] });
}

// ---- objects built by hand (src/migrate/hand-made.ts) ---------------------------------------------

/** An index as the catalog shows it (catalog/table-indexes). */
export interface CatalogIndex {
  table: string;
  index_name: string;
  constraint_name: string | null;
  unique: boolean;
  valid: boolean;
  immediate: boolean;
  /** UNIQUE NULLS NOT DISTINCT (PostgreSQL 15+): rows whose keys are NULL count as duplicates. */
  nulls_not_distinct: boolean;
  /** One entry per key column: a column name or an expression, as pg_get_indexdef(oid, n, true) prints it. */
  keys: string[];
  predicate: string | null;
  definition: string;
  /** The backend whose CREATE INDEX CONCURRENTLY is building it right now (INVALID until it ends); null when none. */
  building_pid: number | null;
}

/** The indexes of one table of the current schema, or of every table (null). */
export function tableIndexes(db: Db, tableName: string | null): Promise<CatalogIndex[]> {
  return rows<CatalogIndex>(db, sql('catalog/table-indexes'), { tableName });
}

/** A trigger's CREATE TRIGGER text and whether it is disabled; undefined when it does not exist. */
export function triggerDefinition(db: Db, tableName: string, triggerName: string): Promise<{ definition: string; disabled: boolean } | undefined> {
  return first(db, sql('catalog/trigger-definition'), { tableName, triggerName });
}

/** A constraint of a table: its type (f, u, …), definition and whether it is validated. */
export function constraintDefinition(db: Db, tableName: string, constraintName: string): Promise<{ type: string; definition: string; validated: boolean } | undefined> {
  return first(db, sql('catalog/constraint-definition'), { tableName, constraintName });
}

/** Every function of that name in the current schema, with its argument types. */
export function functionDefinitions(db: Db, functionName: string): Promise<{ definition: string; argument_types: string[] }[]> {
  return rows(db, sql('catalog/function-definitions'), { functionName });
}

export interface SiteTrigger {
  trigger_name: string;
  table_name: string;
  function_name: string;
  enabled_state: string;
  definition: string;
}

/** Triggers on bookings, not ours, that create chat rooms (catalog/chat-site-triggers). */
export function chatSiteTriggers(db: Db, ours: readonly string[], triggerFunction: string): Promise<SiteTrigger[]> {
  return rows<SiteTrigger>(db, sql('catalog/chat-site-triggers'), { ours: ours.join(','), triggerFunction });
}
