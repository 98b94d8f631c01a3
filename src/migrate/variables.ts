/**
 * Values that migrations reference as :"name" / :'name'. Names and status lists that code
 * elsewhere must agree on (the chat trigger and functions that `chats verify` checks, what
 * counts as an active interview or slot) are defined once, in code, and reach the SQL only
 * through here, so `migrate plan` shows them expanded.
 */
import { CHAT_OBJECTS, CHAT_ROOM_PAIR_LOCK } from '../platform/chat-objects.js';
import { MODULES } from '../platform/modules.js';
import { VOCABULARY } from '../platform/vocabulary.js';

export const MIGRATION_VARIABLES: Record<string, string | readonly string[]> = {
  // The statuses and the payload pattern, under the names every query binds them by.
  ...VOCABULARY,
  ...CHAT_OBJECTS,
  // The advisory lock the chat trigger function shares with getOrCreateRoom.
  chatRoomPairLock: CHAT_ROOM_PAIR_LOCK,
  // The tables migration 0005 may make cascade (comma-separated, for catalog/fk-tree).
  whatsappTree: MODULES.whatsapp.join(','),
};
