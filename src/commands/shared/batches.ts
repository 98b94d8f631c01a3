/**
 * Committed batches for the support repairs (clean-cancelled, clean-stale, outbox dedupe and
 * retry-failed, resolve-duplicates). Each batch is one transaction of the destructive flow's
 * Applier, so it archives its own rows under the run's one archive operation and commits; a
 * crash or Ctrl-C loses at most the batch in flight, and `archive restore <op>` undoes every
 * committed batch at once. Predicates are SQL files (alias t); this module only wraps them in
 * keyset pagination (`t.id > :afterId ORDER BY t.id LIMIT :batchSize`), so a batch never
 * rescans rows an earlier batch already passed.
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

/**
 * The rows of one keyset page (matching `predicate`, after :afterId), for deleteArchived. The
 * page is an ARRAY(...) subquery, so it runs once (an InitPlan) and the delete finds its rows by
 * primary key; with `IN (subquery)` the planner may hash-join the page against a scan of the
 * whole table, in every batch.
 */
export function keysetWhere(table: string, predicate: string): string {
  return `t.id = ANY(ARRAY(SELECT t.id FROM ${quoteIdent(table)} AS t WHERE t.id > :afterId AND (${predicate}) ORDER BY t.id LIMIT :batchSize))`;
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

/**
 * Archives the rows of `where`, then updates exactly them (the archive step locked them, so the
 * predicate cannot change in between). Returns [archived, updated]; equal unless a bug.
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

export interface BatchOutcome {
  /** Rows removed or changed by this batch (0 ends the run). */
  count: number;
  /** The highest id the batch touched: the next batch starts after it. */
  lastId: number;
}

export interface BatchesResult {
  rows: number;
  batches: number;
}

/**
 * Runs `step` in one transaction per batch, each starting after the last id of the previous,
 * until a batch touches nothing. `total` (from the plan) drives the progress bar only.
 */
export async function keysetBatches(
  applier: Applier,
  total: number,
  step: (trx: Knex.Transaction, op: ArchiveOperation, afterId: number) => Promise<BatchOutcome>,
): Promise<BatchesResult> {
  let afterId = 0;
  let rows = 0;
  let batches = 0;
  for (;;) {
    const outcome = await applier.transaction((trx, op) => step(trx, op, afterId));
    if (outcome.count === 0) break;
    rows += outcome.count;
    batches += 1;
    afterId = outcome.lastId;
    applier.progress(rows, Math.max(total, rows));
  }
  return { rows, batches };
}

/** How many rows match a predicate file, and the first `sample` of them (the plan). */
export async function countAndSample(
  db: Knex | Knex.Transaction,
  table: string,
  predicate: string,
  params: SqlParams,
  sample: number,
  columns = 't.*',
): Promise<{ count: number; rows: Record<string, unknown>[] }> {
  const counted = await db.raw(`SELECT count(*)::int AS count FROM ${quoteIdent(table)} AS t WHERE ${predicate}`, params as Knex.ValueDict);
  const sampled = await db.raw(`SELECT ${columns} FROM ${quoteIdent(table)} AS t WHERE ${predicate} ORDER BY t.id LIMIT :sample`, {
    ...params,
    sample,
  } as Knex.ValueDict);
  return { count: counted.rows[0].count, rows: sampled.rows };
}

/** The highest id among rows a batch touched (the next batch starts after it). */
export function lastId(rows: Array<{ id: number | string }>, afterId: number): number {
  return rows.reduce((max, r) => Math.max(max, Number(r.id)), afterId);
}

/** Splits a list into batches of `size`: for work whose ids the plan already chose. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Locks the next keyset page of ids matching a predicate file (for archive-then-update batches). */
export async function nextIds(
  trx: Knex.Transaction,
  table: string,
  predicate: string,
  params: SqlParams,
): Promise<number[]> {
  const sql = `SELECT t.id FROM ${quoteIdent(table)} AS t WHERE t.id > :afterId AND (${predicate}) ORDER BY t.id LIMIT :batchSize FOR UPDATE OF t`;
  const { rows } = await trx.raw(sql, params as Knex.ValueDict);
  return rows.map((r: { id: number }) => Number(r.id));
}

