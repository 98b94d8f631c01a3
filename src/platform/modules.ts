/**
 * The platform's four modules and their tables. A real database may hold any subset: commands
 * check which modules are present (src/data/catalog.repository.ts reads the tables) and skip (and say so) the ones that are not.
 */

export const MODULES = {
  interviews: ['time_slots', 'interviews'],
  recruiting: ['recruiters', 'slots', 'slot_reminder_jobs', 'notification_logs', 'outbox_notifications'],
  whatsapp: ['whatsapp_numbers', 'bots', 'conversations', 'whatsapp_messages', 'broadcasts', 'broadcast_recipients'],
  lessons: ['users', 'lessons', 'bookings', 'chat_rooms', 'messages'],
} as const;

export type ModuleName = keyof typeof MODULES;
export const MODULE_NAMES = Object.keys(MODULES) as ModuleName[];

/** Modules whose tables all exist, given the tables that do. */
export function completeModules(tables: readonly string[]): ModuleName[] {
  return MODULE_NAMES.filter((m) => MODULES[m].every((t) => tables.includes(t)));
}
