/**
 * Committed batches for the support repairs (clean-cancelled, clean-stale, outbox dedupe and
 * retry-failed, resolve-duplicates). Each batch is one transaction of the destructive flow's
 * Applier, so it archives its own rows under the run's one archive operation and commits; a
 * crash or Ctrl-C loses at most the batch in flight, and `archive restore <op>` undoes every
 * committed batch at once.
 *
 * The plan finds the matching rows in one scan (planRows) and keeps their ids, in key order;
 * batch n then takes the n-th page of those ids and changes them by primary key, re-checking
 * the predicate row by row (`t.id = ANY(:ids) AND (<predicate>)`). So the work after the plan
 * grows with the rows concerned, not with the table, nothing is scanned twice, and exactly the
 * rows the user confirmed go (fewer if some stopped matching meanwhile, never others).
 * Predicates are SQL files with alias t.
 */
import type { Knex } from 'knex';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { quoteIdent } from '../../data/quote.js';
import type { SqlParams } from '../../data/sql-files.js';
import type { Applier } from './destructive.js';

export const DEFAULT_BATCH_SIZE = 5000;

/** A statement as --dry-run shows it: the SQL text and its parameters. */
export interface ShownStatement {
  sql: string;
  params: SqlParams;
  note?: string;
}

export interface PlannedRows {
  /** Every matching id, ascending. */
  ids: number[];
  /** The first `sample` matching rows. */
  rows: Record<string, unknown>[];
}

/** The plan: every id matching a predicate (one scan), and the first `sample` rows by key. */
export async function planRows(
  db: Knex | Knex.Transaction,
  table: string,
  predicate: string,
  params: SqlParams,
  sample: number,
  columns = 't.*',
): Promise<PlannedRows> {
  const { rows } = await db.raw(planSql(table, predicate), params as Knex.ValueDict);
  const ids = (rows[0].ids as Array<number | string>).map(Number);
  if (ids.length === 0 || sample === 0) return { ids, rows: [] };
  const sampled = await db.raw(`SELECT ${columns} FROM ${quoteIdent(table)} AS t WHERE t.id = ANY(:ids) ORDER BY t.id`, {
    ids: ids.slice(0, sample),
  } as Knex.ValueDict);
  return { ids, rows: sampled.rows };
}

export function planSql(table: string, predicate: string): string {
  return `SELECT coalesce(array_agg(t.id ORDER BY t.id), '{}') AS ids FROM ${quoteIdent(table)} AS t WHERE ${predicate}`;
}

/** The rows of one page of planned ids that still match: for deleteArchived / updateArchived. */
export function pageWhere(predicate: string): string {
  return `t.id = ANY(CAST(:ids AS bigint[])) AND (${predicate})`;
}

/** How deleteArchived runs a predicate, for --dry-run. */
export function shownDelete(table: string, where: string, params: SqlParams, note?: string): ShownStatement {
  return {
    sql:
      `WITH gone AS (DELETE FROM ${quoteIdent(table)} AS t WHERE ${where} RETURNING t.*)\n` +
      `INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)\n` +
      `SELECT :archiveOperationId, '${table}', 'deleted', to_jsonb(gone) FROM gone`,
    params,
    note,
  };
}

/** How updateArchived runs, for --dry-run. */
export function shownUpdate(table: string, set: string, where: string, params: SqlParams, note?: string): ShownStatement {
  return {
    sql:
      `INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)\n` +
      `SELECT :archiveOperationId, '${table}', 'updated', to_jsonb(t) FROM ${quoteIdent(table)} AS t WHERE ${where} FOR UPDATE;\n` +
      `UPDATE ${quoteIdent(table)} AS t SET ${set} WHERE ${where}`,
    params,
    note,
  };
}

/** What --dry-run shows for a planned, paged change: the plan query, then one page's statement. */
export function shownPlan(table: string, predicate: string, params: SqlParams, batchSize: number, page: ShownStatement): ShownStatement[] {
  return [
    { sql: planSql(table, predicate), params, note: 'the plan: every matching id, in one scan' },
    { ...page, note: `then one transaction per page of ≤ ${batchSize} planned ids, each row re-checked` },
  ];
}

/** A list in a one-line message, cut after `n`: "12, 13, 14 and 977 more". */
export function someOf(items: Array<number | string>, n = 20, separator = ', '): string {
  return items.length > n ? `${items.slice(0, n).join(separator)} and ${items.length - n} more` : items.join(separator);
}

/** Long id lists shown by --dry-run are cut after 20. */
export function shortList(ids: Array<number | string>): Array<number | string> {
  return ids.length > 20 ? [...ids.slice(0, 20), `… ${ids.length - 20} more`] : ids;
}

/**
 * Archives the rows of `where`, then updates exactly them (the archive step locked them, so the
 * predicate cannot change in between). Returns both counts; equal unless a bug.
 */
export async function updateArchived(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  table: string,
  set: string,
  where: string,
  params: SqlParams,
): Promise<{ archived: number; updated: number }> {
  const archived = await archiveBeforeUpdate(trx, op, table, where, params);
  const result = await trx.raw(`UPDATE ${quoteIdent(table)} AS t SET ${set} WHERE ${where}`, params as Knex.ValueDict);
  return { archived, updated: result.rowCount ?? 0 };
}

export interface BatchesResult {
  rows: number;
  batches: number;
}

/**
 * One transaction per page of `batchSize` items, in order; `step` returns how many rows it
 * removed or changed. The progress bar counts items.
 */
export async function inBatches<T>(
  applier: Applier,
  items: T[],
  batchSize: number,
  step: (trx: Knex.Transaction, op: ArchiveOperation, page: T[]) => Promise<number>,
): Promise<BatchesResult> {
  const result: BatchesResult = { rows: 0, batches: 0 };
  let done = 0;
  for (const page of chunks(items, batchSize)) {
    result.rows += await applier.transaction((trx, op) => step(trx, op, page));
    result.batches += 1;
    done += page.length;
    applier.progress(done, items.length);
  }
  return result;
}

/** Splits a list into pages of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
