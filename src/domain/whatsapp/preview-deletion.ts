/**
 * What `whatsapp delete` would remove (seed 003's warning: every bot, conversation with its
 * messages, broadcast with its recipients), and any table outside bookops' knowledge that
 * references the number's tree (see deleteNumber).
 */
import { runSql } from '../../data/sql-files.js';
import { rule, type Db } from '../db.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';

/** The number's tree, children before parents: the order a delete takes. */
export const NUMBER_TREE = ['whatsapp_messages', 'conversations', 'broadcast_recipients', 'broadcasts', 'bots', 'whatsapp_numbers'] as const;

export interface OtherReferrer {
  constraint_name: string;
  table_name: string;
  references_table: string;
  on_delete: 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';
}

export interface NumberDeletionPreview {
  number: WhatsappNumberRow;
  counts: NumberDeletionCounts;
  /** Rows a delete removes in all, the number included. */
  total: number;
  /** Foreign keys from unknown tables into the tree (a cascading one makes delete refuse). */
  otherReferrers: OtherReferrer[];
}

export async function previewNumberDeletion(db: Db, ref: NumberRef): Promise<NumberDeletionPreview> {
  return rule(async () => {
    const number = await resolveNumber(db, ref);
    const [counts] = await runSql<NumberDeletionCounts>(db, 'whatsapp/deletion-counts', { numberId: number.id });
    const otherReferrers = await runSql<OtherReferrer>(db, 'whatsapp/other-referrers', { treeTables: [...NUMBER_TREE] });
    const total = 1 + counts.bots + counts.conversations + counts.messages + counts.broadcasts + counts.recipients;
    return { number, counts, total, otherReferrers };
  });
}
