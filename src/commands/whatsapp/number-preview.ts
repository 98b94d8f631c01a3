/** What deleting a number would take with it: the rule's counts plus the first rows of each kind. */
import { runSql } from '../../data/sql-files.js';
import type { Db } from '../../domain/db.js';
import { blocksDelete, changesUnarchived, previewNumberDeletion, type NumberDeletionPreview, type NumberRef } from '../../domain/whatsapp/index.js';

export interface NumberRows {
  bots: Array<{ id: number; name: string; is_active: boolean }>;
  conversations: Array<{ id: number; contact_phone: string; status: string; messages: number }>;
  broadcasts: Array<{ id: number; title: string; status: string; recipients: number }>;
}

export interface NumberPreview extends NumberDeletionPreview {
  rows: NumberRows;
  /** Rows of unknown tables a delete would cascade to or set null (it refuses, exit 4: no archive would hold them). */
  unarchivableReferrers: NumberDeletionPreview['otherReferrers'];
  /** Rows of unknown tables that reference the tree through a blocking key (the delete fails, exit 6). */
  blockingReferrers: NumberDeletionPreview['otherReferrers'];
}

export async function previewNumber(db: Db, ref: NumberRef, sample: number): Promise<NumberPreview> {
  const preview = await previewNumberDeletion(db, ref);
  const [rows] = await runSql<NumberRows>(db, 'support/whatsapp-number-rows', { numberId: preview.number.id, sample });
  return {
    ...preview,
    rows,
    unarchivableReferrers: preview.otherReferrers.filter(changesUnarchived),
    blockingReferrers: preview.otherReferrers.filter(blocksDelete),
  };
}

/** "2 bots, 3 conversations (6 messages), 2 broadcasts (8 recipients)" */
export function describeCounts(p: NumberDeletionPreview): string {
  const c = p.counts;
  return `${c.bots} bot(s), ${c.conversations} conversation(s) (${c.messages} message(s)), ${c.broadcasts} broadcast(s) (${c.recipients} recipient(s))`;
}

export function numberLabel(p: NumberDeletionPreview): string {
  return `${p.number.phone_number}${p.number.display_name ? ` (${p.number.display_name})` : ''}, id ${p.number.id}`;
}
