/**
 * A plan's row changes with their preview: what each would archive and change now (how many
 * rows, the first of them), and the statements the run sends for them. A rule builds its
 * changes once; the preview, --dry-run and the apply all read these same objects.
 */
import type { Knex } from 'knex';
import { applyChange, previewChange, shownBatched, shownStatements, type Applied, type BatchedChange, type ChangeKind, type RowChange, type ShownStatement } from '../archive/changes.js';
import type { ArchiveOperation } from '../archive/operation.js';
import type { Db } from '../data/sql.js';

/**
 * A change of a plan, named by its role in the rule ('logs', 'slot'); `total` and `rows` once
 * previewed (support's plans are; a rule the bot's own flow calls needs none).
 */
export type PlannedChange = RowChange & { role: string; total?: number; rows?: Record<string, unknown>[] };

export interface PreviewOptions {
  /** Rows shown per change; 0 counts only. Undefined: no preview at all (a rule called by the bot's own flow). */
  sample?: number;
}

/** The changes, each with its count and first rows when a preview is wanted. */
export async function previewed(db: Db, changes: Array<RowChange & { role: string }>, opts: PreviewOptions): Promise<PlannedChange[]> {
  if (opts.sample === undefined) return changes;
  const out: PlannedChange[] = [];
  for (const c of changes) {
    const { total, rows } = await previewChange(db, c, opts.sample);
    out.push({ ...c, total, rows });
  }
  return out;
}

/** The statements of every change, in order, as --dry-run prints them. */
export function statementsOf(db: Db, changes: RowChange[]): ShownStatement[] {
  return changes.flatMap((c) => shownStatements(db, c, `${c.change} ${c.table}${c.of ? ` (${c.of})` : ''}, archived first`));
}

/** Carries out a plan's changes in order; what each did, by role. */
export async function applyChanges(trx: Knex.Transaction, op: ArchiveOperation, changes: PlannedChange[]): Promise<Record<string, Applied<Record<string, unknown>>>> {
  const done: Record<string, Applied<Record<string, unknown>>> = {};
  for (const c of changes) done[c.role] = await applyChange(trx, op, c);
  return done;
}

/** What `rows` rows of a change archive, as a plan counts them: { 'table:deleted': n } or { 'table:updated': n }; {} for none. */
export function archiving(table: string, change: ChangeKind, rows: number): Record<string, number> {
  return rows ? { [`${table}:${change === 'delete' ? 'deleted' : 'updated'}`]: rows } : {};
}

/** The tables whose rows a plan's archives say it updates (their after-images are recorded too). */
export function updatedTables(archives: Record<string, number>): string[] {
  return Object.keys(archives)
    .filter((key) => key.endsWith(':updated') && archives[key] > 0)
    .map((key) => key.slice(0, -':updated'.length));
}

/** What changes archive, summed (previewed changes only). */
export function archivesOf(changes: PlannedChange[]): Record<string, number> {
  return tally(...changes.map((c) => archiving(c.table, c.change, c.total ?? 0)));
}

/** A batched change's part of its plan: whether it is empty, what it archives, what --dry-run prints. */
export function batchedPreview(db: Db, c: BatchedChange): { empty: boolean; archives: Record<string, number>; statements: ShownStatement[] } {
  return { empty: c.ids.length === 0, archives: archiving(c.table, c.change, c.ids.length), statements: shownBatched(db, c) };
}

/** Several tallies as one. */
export function tally(...parts: Array<Record<string, number>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const part of parts) for (const [k, n] of Object.entries(part)) add(counts, k, n);
  return counts;
}

function add(counts: Record<string, number>, key: string, n: number): void {
  if (n) counts[key] = (counts[key] ?? 0) + n;
}
