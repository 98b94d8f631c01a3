/**
 * Seed 004's checks, reached through the chats wing: the same parts `chats verify` reads
 * (src/chats/health.ts), with the tables each needs, so both commands always agree.
 */
import { HEALTH_PARTS } from '../../chats/health.js';
import { chatSiteTriggers } from '../../data/catalog.repository.js';
import * as lessons from '../../data/lessons.repository.js';
import { CHAT_OBJECTS } from '../../platform/chat-objects.js';
import type { CheckDefinition } from '../types.js';
import { asInvoked } from '../../invocation.js';

export const CHAT_CHECKS: CheckDefinition[] = [
  {
    id: 'chats.missing',
    module: 'lessons',
    tables: HEALTH_PARTS.missing.tables,
    severity: 'error',
    title: '(teacher, student) pairs with an active booking and no chat room',
    get repair() {
      return asInvoked('chats verify --backfill');
    },
    run: (env) => HEALTH_PARTS.missing.read(env.db, env.sample),
  },
  {
    id: 'chats.blocked-by-deleted',
    module: 'lessons',
    tables: HEALTH_PARTS.blockedByDeleted.tables,
    severity: 'warn',
    title: '(teacher, student) pairs with an active booking and only soft-deleted chat rooms (they block a new one)',
    get repair() {
      return (
        'restore the room (UPDATE chat_rooms SET deleted_at = NULL WHERE id = <deleted_room_ids[0]>: its messages come back with it); only a room without messages can be deleted instead (the messages foreign key keeps one with messages), then ' +
        asInvoked('chats verify --backfill creates a new one')
      );
    },
    run: (env) => HEALTH_PARTS.blockedByDeleted.read(env.db, env.sample),
  },
  {
    id: 'chats.duplicates',
    module: 'lessons',
    tables: HEALTH_PARTS.duplicates.tables,
    severity: 'error',
    title: '(teacher, student) pairs with more than one live chat room',
    repair: 'merge by hand (messages reference the room)',
    run: (env) => HEALTH_PARTS.duplicates.read(env.db, env.sample),
  },
  {
    id: 'chats.self-rooms',
    module: 'lessons',
    tables: ['chat_rooms'],
    severity: 'warn',
    title: 'chat rooms of a teacher with themself',
    repair: 'soft-delete by hand',
    run: (env) => lessons.selfRooms(env.db, env.sample),
  },
  {
    id: 'chats.site-triggers',
    module: 'lessons',
    tables: ['bookings'],
    severity: 'warn',
    title: "triggers on bookings, not bookops', that make chat rooms too (seed 004's triggers built by hand under other names)",
    get repair() {
      return `before migration 0006: ${asInvoked('migrate up')} (drops them and keeps their definition); after it: review, then DROP TRIGGER <trigger> ON bookings`;
    },
    run: async (env) => {
      const found = await chatSiteTriggers(env.db, [CHAT_OBJECTS.insertTrigger, CHAT_OBJECTS.updateTrigger], CHAT_OBJECTS.triggerFunction);
      return { count: found.length, sample: found.slice(0, env.sample).map((t) => ({ ...t })) };
    },
  },
];
