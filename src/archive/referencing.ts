/**
 * Rows of another table that reference rows about to be deleted, through one foreign key: what a
 * delete would cascade to, set null in, or be blocked by. The key comes from the catalog
 * (columns in key order); `where` is SQL of our own (alias t) with named parameters.
 */
import type { Knex } from 'knex';
import { quoteIdent } from '../data/quote.js';
import type { SqlParams } from '../data/sql-files.js';

export interface ForeignKeyColumns {
  /** The referencing table. */
  table_name: string;
  columns: string[];
  ref_columns: string[];
}

/** "FROM <referencing> AS c WHERE (c.cols) IN (SELECT t.ref_cols FROM <table> AS t WHERE <where>)" */
function referencingFrom(key: ForeignKeyColumns, table: string, where: string): string {
  const cols = (alias: string, names: string[]) => names.map((n) => `${alias}.${quoteIdent(n)}`).join(', ');
  return `FROM ${quoteIdent(key.table_name)} AS c WHERE (${cols('c', key.columns)}) IN (SELECT ${cols('t', key.ref_columns)} FROM ${quoteIdent(table)} AS t WHERE ${where})`;
}

/** Whether any row references the rows of `table` matched by `where` (stops at the first). */
export async function anyReferencing(db: Knex | Knex.Transaction, key: ForeignKeyColumns, table: string, where: string, params: SqlParams): Promise<boolean> {
  const { rows } = await db.raw(`SELECT EXISTS (SELECT ${referencingFrom(key, table, where)}) AS hit`, params as Knex.ValueDict);
  return rows[0].hit;
}

/** How many rows reference the rows of `table` matched by `where`. */
export async function countReferencing(db: Knex | Knex.Transaction, key: ForeignKeyColumns, table: string, where: string, params: SqlParams): Promise<number> {
  const { rows } = await db.raw(`SELECT count(*)::int AS n ${referencingFrom(key, table, where)}`, params as Knex.ValueDict);
  return rows[0].n;
}
