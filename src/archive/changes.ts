/**
 * The one way a destructive rule changes rows: a RowChange names a table, a predicate (a named
 * block of the rule's area, alias t), and for an update its assignments. A rule's plan holds its
 * changes; the preview counts and samples them, --dry-run prints their statements, and the run
 * sends those same statements (built by the same function), archiving every row in the same
 * statement as its delete or update (before and after it), or just before a rule's own statement
 * updates it. A batched change is planned as ids in one
 * scan, then run one committed page of ids at a time, each row re-checked.
 */
import type { Knex } from 'knex';
import { RefusedError } from '../errors.js';
import * as archive from '../data/archive.repository.js';
import { native, rows as runRows, runStatement, type Db, type Sql, type SqlParams, type Statement } from '../data/sql.js';
import { inBatches, type Applier, type BatchesResult } from './applier.js';
import { oncePerOperation, rememberArchived, type ArchiveOperation } from './operation.js';

export type { BatchesResult } from './applier.js';

export type ChangeKind = 'update' | 'delete';

export interface RowChange {
  table: string;
  change: ChangeKind;
  /** Which rows (alias t): a named block of the rule's area. */
  where: Sql;
  /**
   * update: the assignments (a named block). Without them the rows are only archived and locked,
   * for a rule statement that updates them itself (a reservation, an enqueue's refresh).
   */
  set?: Sql;
  params: SqlParams;
  /** Whose rows, when a table appears more than once ("earlier messages of candidate 5"). */
  of?: string;
}

/** What a plan shows of one change: how many rows, and the first of them as they are now. */
export interface ChangePreview {
  table: string;
  change: ChangeKind;
  of?: string;
  total: number;
  rows: Record<string, unknown>[];
}

/** A statement as --dry-run prints it: exactly the text and values the driver receives. */
export interface ShownStatement {
  sql: string;
  /** The values of $1, $2, ...; the archive operation's id is null until the run creates it. */
  params: unknown[];
  note?: string;
  /** The table a record of inserted rows names (their images are looked at again as the transaction ends). */
  recordsInsertedInto?: string;
}

/**
 * The statement a change sends: a delete and an update each archive their rows in the same
 * statement; a change without assignments only archives and locks them, for a rule statement
 * that updates them itself. The image of every updated (and inserted) row is written again as
 * the transaction ends where the row changed since (src/archive/operation.ts recordAfterImages).
 */
export function changeStatement(c: RowChange, operationId: number | null, only: 'rows' | 'count' = 'rows'): Statement {
  if (c.change === 'delete') return archive.deleteArchivedStatement(c.table, c.where, c.params, operationId, only);
  if (c.set) return archive.archiveAndUpdateStatement(c.table, c.set, c.where, c.params, operationId);
  return archive.archiveBeforeUpdateStatement(c.table, c.where, c.params, operationId);
}

export function show(db: Db, statement: Statement, note?: string): ShownStatement {
  const { sql, bindings } = native(db, statement);
  return { sql, params: bindings, ...(note ? { note } : {}) };
}

/** The statement of a change as --dry-run prints it. */
export function shownStatements(db: Db, c: RowChange, note?: string, only: 'rows' | 'count' = 'rows'): ShownStatement[] {
  return [show(db, changeStatement(c, null, only), note)];
}

/** How many rows the change would touch now, and the first `sample` of them. */
export async function previewChange(db: Db, c: RowChange, sample: number): Promise<ChangePreview> {
  const total = await archive.countWhere(db, c.table, c.where, c.params);
  const rows = total > 0 && sample > 0 ? await archive.sampleWhere(db, c.table, c.where, c.params, sample) : [];
  return { table: c.table, change: c.change, ...(c.of ? { of: c.of } : {}), total, rows };
}

export interface Applied<T> {
  /** Deleted rows (delete with 'rows'). */
  rows: T[];
  /** Rows deleted or updated. */
  count: number;
}

/** Carries a change out in the caller's transaction, archiving what it removes or changes. */
export async function applyChange<T = Record<string, unknown>>(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  c: RowChange,
  only: 'rows' | 'count' = 'rows',
): Promise<Applied<T>> {
  if (c.change === 'delete') {
    await refuseUnarchivedCascades(trx, op, c);
    const result = await runStatement<T & { deleted?: number }>(trx, changeStatement(c, op.id, only));
    return only === 'rows' ? { rows: result.rows as T[], count: result.rows.length } : { rows: [], count: result.rows[0]?.deleted ?? 0 };
  }
  const archived = await runStatement<{ id: string }>(trx, changeStatement(c, op.id));
  rememberArchived(op, c.table, archived.rows.map((r) => r.id));
  return { rows: [], count: archived.rows.length };
}

/**
 * A key with ON DELETE CASCADE / SET NULL / SET DEFAULT into the table would change rows the
 * archive never sees (a feedback table the site added under interviews, say): refuse before
 * deleting when any row it references is among those about to go. Keys whose referencing rows
 * were deleted (and archived) first, as a number's tree is, find nothing and pass.
 */
async function refuseUnarchivedCascades(trx: Knex.Transaction, op: ArchiveOperation, c: RowChange): Promise<void> {
  for (const key of await cascadingKeysOf(trx, op, c.table)) {
    if (await archive.anyReferencing(trx, key, c.table, c.where, c.params)) {
      throw new RefusedError(
        `deleting these ${c.table} rows would ${key.on_delete} rows of ${key.table_name} (${key.constraint_name}), which bookops cannot archive; nothing was deleted`,
        { hint: `remove or archive those ${key.table_name} rows yourself first`, details: { constraint: key.constraint_name, table: key.table_name } },
      );
    }
  }
}

/**
 * The cascading keys into a table, read from the catalog once per operation and table (a batched
 * cleanup or a resolve of thousands of slots deletes from the same tables again and again).
 */
function cascadingKeysOf(trx: Knex.Transaction, op: ArchiveOperation, table: string): Promise<archive.CascadingKey[]> {
  return oncePerOperation(op, `keys cascading into ${table}`, () => archive.cascadingKeys(trx, table));
}

/**
 * The record of rows a rule has just inserted, as --dry-run shows it: sent after the insert when
 * it inserted any, its ids (and the operation) known only then.
 */
export function shownRecordInserted(db: Db, table: string): ShownStatement {
  return {
    ...show(db, archive.recordInsertedStatement(table, null, null), `when it inserts: the new ${table} rows recorded in the archive operation (a restore removes them); $1: their ids`),
    recordsInsertedInto: table,
  };
}

/** Rows the rule has just inserted, recorded in the operation so a restore removes them; how many. */
export async function recordInserted(trx: Knex.Transaction, op: ArchiveOperation, table: string, ids: Array<number | string>): Promise<number> {
  if (ids.length === 0) return 0;
  const recorded = (await runStatement<{ id: string }>(trx, archive.recordInsertedStatement(table, ids, op.id))).rows;
  // Looked at again as the transaction ends: a site's trigger may change them after this.
  rememberArchived(op, table, recorded.map((r) => r.id));
  return recorded.length;
}

// ---- batched changes -------------------------------------------------------------------------

/** A change planned as every matching id (one scan), run one committed page at a time. */
export interface BatchedChange extends RowChange {
  /** The query that found the ids (it returns one row with `ids`). */
  plan: Statement;
  /** Every id the plan found, ascending: 8 bytes each (plannedIds reads a page of them). */
  ids: Float64Array;
  batchSize: number;
}

/**
 * Finds every id the change matches, in one scan: the plan of a batched change. `plan` is the
 * query that finds them, when the rule has a better one than a scan of the predicate.
 */
export async function planBatched(db: Db, c: RowChange, batchSize: number, plan: Statement = archive.planIdsStatement(c.table, c.where, c.params)): Promise<BatchedChange> {
  const pages = await runRows<{ ids: string }>(db, plan.sql, plan.params);
  const batched: BatchedChange = { ...c, plan, ids: parseIdList(pages.map((p) => p.ids)), batchSize };
  // In a plan printed with --json: the count of ids, not a million of them.
  Object.defineProperty(batched, 'toJSON', { enumerable: false, value: () => ({ ...c, plan: plan.sql, ids: batched.ids.length, batchSize }) });
  return batched;
}

/**
 * The ids of a plan's pages of text values ('{1,2,3}', arrays of bigint as PostgreSQL prints them;
 * sql/archive/changes.sql id-pages), read digit by digit into numbers: about 8 bytes an id held,
 * and no string per id on the way (the driver's bigint[] made one, about 96 bytes an id at the
 * peak).
 */
export function parseIdList(texts: string[]): Float64Array {
  const refused = (text: string) => new Error(`a plan's id list is not a list of ids: ${text.slice(0, 40)}`);
  // Sized exactly (one more id than commas a page): no growing array and its spare capacity.
  let size = 0;
  for (const text of texts) {
    if (text[0] !== '{' || text[text.length - 1] !== '}') throw refused(text);
    if (text === '{}') continue;
    size++;
    for (let i = 1; i < text.length; i++) if (text.charCodeAt(i) === 44) size++;
  }
  const ids = new Float64Array(size);
  let count = 0;
  for (const text of texts) {
    if (text === '{}') continue;
    let n = 0;
    let digits = false;
    for (let i = 1; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 48 && code <= 57) {
        n = n * 10 + (code - 48);
        digits = true;
      } else if ((code === 44 && i < text.length - 1) || (code === 125 && i === text.length - 1)) {
        if (!digits) throw refused(text);
        ids[count++] = n;
        n = 0;
        digits = false;
      } else {
        throw refused(text);
      }
    }
  }
  return ids;
}

/** The planned ids from `start` up to `end` (exclusive), as the list a statement takes. */
export function plannedIds(c: BatchedChange, start: number, end: number): number[] {
  return Array.from(pageOfPlan(c, start, end));
}

/**
 * One page of a batched change: its ids, each row re-checked against the predicate. The ids go
 * as one text value ('{1,2,…}', which the statement casts to bigint[]), joined straight from the
 * plan's array: as a list of numbers the driver turned each id into a string of its own, and knex
 * walked the list, about 1.5 MB of garbage a page of 5,000 (the young heap of a 620k-row run grew
 * to 32 MB of it).
 */
export function pageChange(c: BatchedChange, ids: Float64Array): RowChange {
  return { table: c.table, change: c.change, where: archive.pageOf(c.where), set: c.set, params: { ...c.params, ids: `{${ids.join(',')}}` }, of: c.of };
}

/** The planned ids from `start` up to `end` (exclusive), without a copy. */
function pageOfPlan(c: BatchedChange, start: number, end: number): Float64Array {
  return c.ids.subarray(start, end);
}

/** The first rows a batched change found, for the preview. */
export async function batchedSample(db: Db, c: BatchedChange, sample: number): Promise<Record<string, unknown>[]> {
  return c.ids.length && sample > 0 ? archive.rowsById(db, c.table, plannedIds(c, 0, sample)) : [];
}

/** What --dry-run shows of a batched change: the plan's query, then the statements of its first page. */
export function shownBatched(db: Db, c: BatchedChange): ShownStatement[] {
  const page = pageChange(c, pageOfPlan(c, 0, c.batchSize));
  return [
    show(db, c.plan, 'the plan: every matching id, in one scan'),
    ...shownStatements(db, page, `then one transaction per page of ≤ ${c.batchSize} planned ids, each row re-checked (the first page shown)`, 'count'),
  ];
}

/** Runs a batched change: one committed transaction per page, each archiving its rows. */
export function applyBatched(applier: Applier, c: BatchedChange): Promise<BatchesResult> {
  return inBatches(applier, { length: c.ids.length, slice: (start: number, end: number) => pageOfPlan(c, start, end) }, c.batchSize, async (trx, op, page) =>
    (await applyChange(trx, op, pageChange(c, page), 'count')).count,
  );
}
