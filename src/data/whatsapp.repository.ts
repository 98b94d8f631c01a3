/**
 * The WhatsApp bot's tables (sql/whatsapp): a number and its tree (bots, conversations and their
 * messages, broadcasts and their recipients), the locks a delete takes, and foreign keys into the
 * tree from tables bookops does not know.
 */
import type { Knex } from 'knex';
import type { TimestampText } from './db.js';
import { findings, type Findings } from './findings.js';
import { first, rows, run, sql, type Db, type Sql } from './sql.js';

export interface WhatsappNumberRow {
  id: number;
  phone_number: string;
  display_name: string | null;
  is_active: boolean;
  created_at?: TimestampText;
  updated_at?: TimestampText;
}

/** What deleting a number removes, per table. */
export interface NumberDeletionCounts {
  bots: number;
  conversations: number;
  /** whatsapp_messages of its conversations. */
  messages: number;
  broadcasts: number;
  /** broadcast_recipients of its broadcasts. */
  recipients: number;
}

export type NumberMatch = WhatsappNumberRow & { matched_by: 'id' | 'phone' | 'digits' };

/** The numbers a reference may mean: by phone number, by the same digits, by id. */
export function matchNumbers(db: Db, query: { ref: string | null; refId: number | null; refDigits: string }): Promise<NumberMatch[]> {
  return rows<NumberMatch>(db, sql('whatsapp/resolve-number'), query);
}

/** Locks a number: nobody adds a bot, conversation or broadcast under it until commit. */
export function lockNumber(trx: Knex.Transaction, numberId: number): Promise<WhatsappNumberRow | undefined> {
  return first<WhatsappNumberRow>(trx, sql('whatsapp/lock-number'), { numberId });
}

/** Locks the number's conversations and broadcasts (after the number): nobody adds a message or recipient. */
export async function lockNumberChildren(trx: Knex.Transaction, numberId: number): Promise<void> {
  await run(trx, sql('whatsapp/lock-number-children'), { numberId });
}

export async function deletionCounts(db: Db, numberId: number): Promise<NumberDeletionCounts> {
  return (await first<NumberDeletionCounts>(db, sql('whatsapp/deletion-counts'), { numberId }))!;
}

export interface NumberRows {
  bots: Array<{ id: number; name: string; is_active: boolean }>;
  conversations: Array<{ id: number; contact_phone: string; status: string; messages: number }>;
  broadcasts: Array<{ id: number; title: string; status: string; recipients: number }>;
}

/** The first bots, conversations and broadcasts of a number, for a preview. */
export async function numberRows(db: Db, numberId: number, sample: number): Promise<NumberRows> {
  return (await first<NumberRows>(db, sql('whatsapp/number-rows'), { numberId, sample }))!;
}

export async function activeBots(db: Db, numberId: number): Promise<number> {
  return (await first<{ n: number }>(db, sql('whatsapp/active-bots'), { numberId }))!.n;
}

export interface ReferrerKey {
  constraint_name: string;
  table_name: string;
  references_table: string;
  on_delete: 'cascade' | 'set null' | 'set default' | 'restrict' | 'no action';
  columns: string[];
  ref_columns: string[];
}

/** Foreign keys into the tree from tables outside it. */
export function otherReferrerKeys(db: Db, treeTables: readonly string[]): Promise<ReferrerKey[]> {
  return rows<ReferrerKey>(db, sql('whatsapp/other-referrers'), { treeTables: [...treeTables] });
}

export const number = (): Sql => sql('whatsapp/number');
export const ofNumber = (): Sql => sql('whatsapp/of-number');
export const messagesOfNumber = (): Sql => sql('whatsapp/messages-of-number');
export const recipientsOfNumber = (): Sql => sql('whatsapp/recipients-of-number');
export const activeNumber = (): Sql => sql('whatsapp/active-number');
export const activeBotsOfNumber = (): Sql => sql('whatsapp/active-bots-of-number');
export const deactivateNumber = (): Sql => sql('whatsapp/deactivate-number');
export const deactivateBot = (): Sql => sql('whatsapp/deactivate-bot');

/** whatsapp.orphans. */
export function orphans(db: Db, sample: number): Promise<Findings> {
  return findings(db, 'whatsapp/orphans', {}, sample);
}
