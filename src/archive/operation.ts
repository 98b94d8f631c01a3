/**
 * Nothing is lost: a destructive action opens an archive operation, and every row it deletes or
 * changes is copied into bookops_archive_rows in the same transaction (as jsonb of the whole
 * row), before or in the same statement as the change (changes.ts); rows it inserts on the way
 * (a rebooked interview, a notification log, an outbox message) are recorded as inserted.
 * `archive restore` undoes it (restore.ts).
 */
import { userInfo } from 'node:os';
import type { Knex } from 'knex';
import * as archive from '../data/archive.repository.js';
import type { ArchiveOperationRow, OperationTable } from '../data/archive.repository.js';
import type { Db, Statement } from '../data/sql.js';

export type ArchiveOperation = ArchiveOperationRow;

/** Creates the archive tables when missing (or older than after_data). */
export async function ensureArchive(trx: Knex.Transaction): Promise<void> {
  const state = await archive.archiveState(trx);
  if (state.present && state.afterImages) return;
  await archive.ensureArchiveTables(trx);
}

/** Whether anything was ever archived here (reading must never create the tables). */
export async function archiveExists(db: Db): Promise<boolean> {
  return (await archive.archiveState(db)).present;
}

export async function beginOperation(
  trx: Knex.Transaction,
  op: { action: string; commandLine: string; summary?: Record<string, unknown> },
): Promise<ArchiveOperation> {
  await ensureArchive(trx);
  return archive.insertOperation(trx, { action: op.action, commandLine: op.commandLine, osUser: safeOsUser(), summary: op.summary ?? {} });
}

/** Whether an operation archived any row (in this transaction's view). */
export function operationHasRows(trx: Knex.Transaction, op: ArchiveOperation): Promise<boolean> {
  return archive.operationHasRows(trx, op.id);
}

/** What an operation holds, per table and change: what its committed transactions did. */
export function committedChanges(db: Db, op: ArchiveOperation): Promise<OperationTable[]> {
  return archive.operationTables(db, op.id);
}

export function setSummary(db: Db, op: ArchiveOperation, summary: Record<string, unknown>): Promise<void> {
  return archive.setSummary(db, op.id, summary);
}

/**
 * What an operation reads of the catalog (a table's columns, the keys that cascade into it), read
 * once per operation and key: a batched run changes the same tables batch after batch, and the
 * catalog query cost as much as a small batch's statement. A change to the schema while an
 * operation runs is seen by the next one (as one between two runs). A failed read (a rolled back
 * transaction) is not remembered.
 */
const readByOperation = new WeakMap<ArchiveOperation, Map<string, Promise<unknown>>>();

export function oncePerOperation<T>(op: ArchiveOperation, key: string, read: () => Promise<T>): Promise<T> {
  let reads = readByOperation.get(op);
  if (!reads) readByOperation.set(op, (reads = new Map()));
  let value = reads.get(key) as Promise<T> | undefined;
  if (!value) {
    value = read();
    value.catch(() => reads!.delete(key));
    reads.set(key, value);
  }
  return value;
}

/** Archive rows of updated or inserted rows to look at again as their transaction ends, by operation and table. */
const archivedThisTransaction = new WeakMap<ArchiveOperation, Map<string, string[]>>();

/** Remembers archive rows of updates and inserts, for recordAfterImages at the end of their transaction. */
export function rememberArchived(op: ArchiveOperation, table: string, archiveRowIds: string[]): void {
  if (archiveRowIds.length === 0) return;
  const byTable = archivedThisTransaction.get(op) ?? new Map<string, string[]>();
  byTable.set(table, [...(byTable.get(table) ?? []), ...archiveRowIds]);
  archivedThisTransaction.set(op, byTable);
}

/**
 * Called as each transaction of an operation ends: records the rows it updated or inserted as
 * they are now (an updated row's after_data, an inserted row's row_data), so `archive restore`
 * can refuse to overwrite or remove a row someone changed since. Their statements recorded them
 * already: only the rows changed since (by a trigger of the site, a later statement of the rule,
 * or a rule's own statement after an archive without assignments) are written again.
 */
export async function recordAfterImages(trx: Knex.Transaction, op: ArchiveOperation): Promise<void> {
  const byTable = archivedThisTransaction.get(op);
  archivedThisTransaction.delete(op);
  for (const [table, ids] of byTable ?? []) {
    const columns = await oncePerOperation(op, `columns of ${table}`, () => archive.tableColumns(trx, table));
    if (!columns.some((c) => c.primary_key)) continue;
    await archive.recordAfterImages(trx, table, columns, ids);
  }
}

/**
 * The statements recordAfterImages sends as each transaction of a run ends, for a plan to show:
 * one per table the plan updates or inserts into (with a primary key), its ids (the archive rows
 * of that transaction) null until then.
 */
export async function shownAfterImages(db: Db, updatedTables: string[]): Promise<Statement[]> {
  const shown: Statement[] = [];
  for (const table of updatedTables) {
    const columns = await archive.tableColumns(db, table);
    if (columns.some((c) => c.primary_key)) shown.push(archive.recordAfterImagesStatement(table, columns, null));
  }
  return shown;
}

export function safeOsUser(): string | null {
  try {
    return process.env.SUDO_USER || userInfo().username;
  } catch {
    return null;
  }
}
