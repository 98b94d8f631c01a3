/**
 * Values that migrations reference as :"name" / :'name'. Names and status lists that code
 * elsewhere must agree on (the chat trigger and functions that `chats verify` checks, what
 * counts as an active interview or slot) are defined once, in code, and reach the SQL only
 * through here, so `migrate plan` shows them expanded.
 */
import { CHAT_OBJECTS, CHAT_ROOM_PAIR_LOCK } from '../domain/lessons/chat-objects.js';
import { PAYLOAD_CANDIDATE_PATTERN } from '../domain/recruiting/log-candidate.js';
import { MODULES } from '../domain/modules.js';
import { BOOKING_ACTIVE, INTERVIEW_ACTIVE, SLOT_ACTIVE } from '../domain/statuses.js';

export const MIGRATION_VARIABLES: Record<string, string | readonly string[]> = {
  ...CHAT_OBJECTS,
  // The advisory lock the chat trigger function shares with getOrCreateRoom.
  chatRoomPairLock: CHAT_ROOM_PAIR_LOCK,
  interviewActive: INTERVIEW_ACTIVE,
  slotActive: SLOT_ACTIVE,
  bookingActive: BOOKING_ACTIVE,
  payloadCandidatePattern: PAYLOAD_CANDIDATE_PATTERN,
  // The tables migration 0005 may make cascade (comma-separated, for introspect/fk-tree).
  whatsappTree: MODULES.whatsapp.join(','),
};
