import type { TimestampText } from '../db.js';

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

/** How a support user names a number: its id, its phone number, or a string that is either. */
export type NumberRef = number | string | { id: number } | { phone: string };
