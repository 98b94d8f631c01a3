/**
 * The data checks of docs/CHECKS.md the seeder reports on, with their module and counting unit
 * (groups where the definition says pairs, keys or slots; rows otherwise). The ids are the
 * audit's ids: a test seeds, audits, and compares the two reports id by id.
 */
import type { ModuleName } from '../platform/modules.js';

export type CountUnit = 'rows' | 'slots' | 'pairs' | 'keys';

export interface CheckInfo {
  module: ModuleName;
  unit: CountUnit;
}

export const DEMO_CHECKS = {
  'interviews.duplicate-active': { module: 'interviews', unit: 'slots' },
  'interviews.cancelled-blocking': { module: 'interviews', unit: 'rows' },
  'recruiting.double-booking': { module: 'recruiting', unit: 'pairs' },
  'recruiting.overlapping-slots': { module: 'recruiting', unit: 'pairs' },
  'outbox.duplicates': { module: 'recruiting', unit: 'keys' },
  'outbox.stuck': { module: 'recruiting', unit: 'rows' },
  'outbox.failed': { module: 'recruiting', unit: 'rows' },
  'notifications.stale-logs': { module: 'recruiting', unit: 'rows' },
  'whatsapp.orphans': { module: 'whatsapp', unit: 'rows' },
  'chats.missing': { module: 'lessons', unit: 'pairs' },
  'chats.blocked-by-deleted': { module: 'lessons', unit: 'pairs' },
  'chats.duplicates': { module: 'lessons', unit: 'pairs' },
  'chats.self-rooms': { module: 'lessons', unit: 'rows' },
} as const satisfies Record<string, CheckInfo>;

export type DemoCheckId = keyof typeof DEMO_CHECKS;
export const DEMO_CHECK_IDS = Object.keys(DEMO_CHECKS) as DemoCheckId[];

export interface PlantedCount {
  count: number;
  module: ModuleName;
  unit: CountUnit;
  /** What was planted, or why nothing could be (the schema prevents it). */
  note: string;
}
