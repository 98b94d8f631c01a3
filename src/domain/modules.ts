/**
 * The platform's four modules and their tables. A real database may hold any subset: commands
 * check which modules are present and skip (and say so) the ones that are not.
 */
import type { Knex } from 'knex';
import { runSql } from '../data/sql-files.js';

export const MODULES = {
  interviews: ['time_slots', 'interviews'],
  recruiting: ['recruiters', 'slots', 'slot_reminder_jobs', 'notification_logs', 'outbox_notifications'],
  whatsapp: ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'],
  lessons: ['users', 'lessons', 'bookings', 'chat_rooms', 'messages'],
} as const;

export type ModuleName = keyof typeof MODULES;
export const MODULE_NAMES = Object.keys(MODULES) as ModuleName[];

/** The platform tables that exist in the current schema, in module order. */
export async function platformTables(db: Knex | Knex.Transaction): Promise<string[]> {
  const names = MODULE_NAMES.flatMap((m) => [...MODULES[m]]);
  const existing = new Set((await runSql<{ name: string }>(db, 'introspect/tables', { names })).map((r) => r.name));
  return names.filter((n) => existing.has(n));
}

/** Modules whose tables all exist, given the tables that do. */
export function completeModules(tables: readonly string[]): ModuleName[] {
  return MODULE_NAMES.filter((m) => MODULES[m].every((t) => tables.includes(t)));
}

/** Modules whose tables all exist in the current schema. */
export async function presentModules(db: Knex | Knex.Transaction): Promise<ModuleName[]> {
  return completeModules(await platformTables(db));
}
