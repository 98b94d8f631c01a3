/**
 * What `whatsapp delete` would remove (seed 003's warning: every bot, conversation with its
 * messages, broadcast with its recipients), and the rows of tables outside bookops' knowledge
 * that reference the number's tree (see deleteNumber).
 */
import { countReferencing } from '../../archive/referencing.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { rule, type Db } from '../db.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';

/** The number's tree, children before parents: the order a delete takes. */
export const NUMBER_TREE = ['whatsapp_messages', 'conversations', 'broadcast_recipients', 'broadcasts', 'bots', 'whatsapp_numbers'] as const;
export type NumberTreeTable = (typeof NUMBER_TREE)[number];

/** The rows of each tree table that belong to one number (:numberId; alias t). */
export const TREE_WHERE: Record<NumberTreeTable, string> = {
  whatsapp_messages: 'whatsapp/where-messages-of-number',
  conversations: 'whatsapp/where-of-number',
  broadcast_recipients: 'whatsapp/where-recipients-of-number',
  broadcasts: 'whatsapp/where-of-number',
  bots: 'whatsapp/where-of-number',
  whatsapp_numbers: 'whatsapp/where-number',
};

export interface OtherReferrer {
  constraint_name: string;
  table_name: string;
  references_table: NumberTreeTable;
  on_delete: 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';
  columns: string[];
  ref_columns: string[];
  /** Rows of table_name that reference this number's rows through the key. */
  rows: number;
}

export interface NumberDeletionPreview {
  number: WhatsappNumberRow;
  counts: NumberDeletionCounts;
  /** Rows a delete removes in all, the number included. */
  total: number;
  /** Foreign keys from unknown tables into the tree, each with the rows it holds for this number. */
  otherReferrers: OtherReferrer[];
}

/** A delete would change rows no archive holds: it refuses while any exist. */
export function changesUnarchived(o: OtherReferrer): boolean {
  return o.rows > 0 && (o.on_delete === 'cascade' || o.on_delete === 'set null' || o.on_delete === 'set default');
}

/** The key stops the delete: it fails while such rows exist. */
export function blocksDelete(o: OtherReferrer): boolean {
  return o.rows > 0 && (o.on_delete === 'restrict' || o.on_delete === 'no action');
}

/** "3 row(s) of site_notes (site_notes_conversation_id_fkey, on delete cascade)" */
export function describeReferrers(referrers: OtherReferrer[]): string {
  return referrers.map((o) => `${o.rows} row(s) of ${o.table_name} (${o.constraint_name}, on delete ${o.on_delete})`).join(', ');
}

export async function numberCounts(db: Db, numberId: number): Promise<NumberDeletionCounts> {
  const [counts] = await runSql<NumberDeletionCounts>(db, 'whatsapp/deletion-counts', { numberId });
  return counts;
}

/** Every foreign key into the tree from another table, with the rows it holds for this number. */
export async function otherReferrers(db: Db, numberId: number): Promise<OtherReferrer[]> {
  const keys = await runSql<Omit<OtherReferrer, 'rows'>>(db, 'whatsapp/other-referrers', { treeTables: [...NUMBER_TREE] });
  const out: OtherReferrer[] = [];
  for (const key of keys) {
    out.push({ ...key, rows: await countReferencing(db, key, key.references_table, sqlText(TREE_WHERE[key.references_table]), { numberId }) });
  }
  return out;
}

export function totalRows(counts: NumberDeletionCounts): number {
  return 1 + counts.bots + counts.conversations + counts.messages + counts.broadcasts + counts.recipients;
}

export async function previewNumberDeletion(db: Db, ref: NumberRef): Promise<NumberDeletionPreview> {
  return rule(async () => {
    const number = await resolveNumber(db, ref);
    const counts = await numberCounts(db, number.id);
    return { number, counts, total: totalRows(counts), otherReferrers: await otherReferrers(db, number.id) };
  });
}
