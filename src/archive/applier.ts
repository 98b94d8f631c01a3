/**
 * How a rule's apply gets its transactions: each one carries the run's one archive operation
 * (created with the first transaction), so every committed batch can be undone at once by
 * `archive restore <op>`. The destructive flow (src/io/destructive.ts) implements it.
 */
import type { Knex } from 'knex';
import type { ArchiveOperation } from './operation.js';

export interface Applier {
  /** Runs fn in a transaction with the archive operation (created in the first one). */
  transaction<T>(fn: (trx: Knex.Transaction, op: ArchiveOperation) => Promise<T>): Promise<T>;
  /** Progress of batched work, drawn on a terminal only. */
  progress(done: number, total?: number): void;
}

/** Splits a list into pages of `size`. */
export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface BatchesResult {
  rows: number;
  batches: number;
}

/**
 * One committed transaction per page of `batchSize` items, in order; `step` returns how many rows
 * it removed or changed. The progress bar counts items.
 */
export async function inBatches<Page extends { length: number }>(
  applier: Applier,
  items: { length: number; slice(start: number, end: number): Page },
  batchSize: number,
  step: (trx: Knex.Transaction, op: ArchiveOperation, page: Page) => Promise<number>,
): Promise<BatchesResult> {
  const result: BatchesResult = { rows: 0, batches: 0 };
  let done = 0;
  // Each page sliced when its turn comes: a plan of a million ids is not held twice.
  for (let start = 0; start < items.length; start += batchSize) {
    const page = items.slice(start, start + batchSize);
    result.rows += await applier.transaction((trx, op) => step(trx, op, page));
    result.batches += 1;
    done += page.length;
    applier.progress(done, items.length);
  }
  return result;
}
