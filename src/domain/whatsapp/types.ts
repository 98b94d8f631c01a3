export type { NumberDeletionCounts, WhatsappNumberRow } from '../../data/whatsapp.repository.js';

/** How a support user names a number: its id, its phone number, or a string that is either. */
export type NumberRef = number | string | { id: number } | { phone: string };
