/**
 * The rows a rule-driven command (slots release and reassign, whatsapp deactivate) would archive
 * and change, for --dry-run: the same predicates the rules run (SQL files, alias t), read only,
 * the first `sample` rows of each by id and how many there are in all.
 */
import type { Knex } from 'knex';
import { quoteIdent } from '../../data/quote.js';
import type { SqlParams } from '../../data/sql-files.js';

export interface RowsPreview {
  table: string;
  /** What the command does to these rows (each archived first). */
  change: 'update' | 'delete';
  /** Whose rows, when a table appears more than once ("earlier messages of candidate 5"). */
  of?: string;
  total: number;
  rows: Record<string, unknown>[];
}

export async function previewRows(
  db: Knex | Knex.Transaction,
  spec: { table: string; change: RowsPreview['change']; where: string; params: SqlParams; sample: number; of?: string },
): Promise<RowsPreview> {
  const from = `FROM ${quoteIdent(spec.table)} AS t WHERE ${spec.where}`;
  const { rows: counted } = await db.raw(`SELECT count(*)::int AS n ${from}`, spec.params as Knex.ValueDict);
  const total: number = counted[0].n;
  const rows =
    total > 0 && spec.sample > 0
      ? (await db.raw(`SELECT t.* ${from} ORDER BY t.id LIMIT :bookopsSample`, { ...spec.params, bookopsSample: spec.sample } as Knex.ValueDict)).rows
      : [];
  return { table: spec.table, change: spec.change, ...(spec.of ? { of: spec.of } : {}), total, rows };
}
