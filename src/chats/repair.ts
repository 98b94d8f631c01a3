/**
 * What repairs a chat object that is not ok, as commands an operator can run as they are. A
 * missing or different function or trigger comes back from the migration that defines it: `migrate
 * up` when that migration is still pending (e.g. after `migrate up --to 0006`), else, since an
 * applied migration never runs again by itself, a `migrate down` to the migration just before it
 * and `migrate up` (which re-applies it and every later one).
 */
import { currentSchema } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import type { MigrationFile } from '../migrate/migration-file.js';
import { readStatuses } from '../migrate/state.js';
import { expectedChatObjects } from './expected.js';
import { inspectChatObjects, type ChatObjectState } from './objects.js';
import { asInvoked } from '../invocation.js';

/** Migrations applied on this database (changed ones included: the database has what they created). */
async function appliedMigrations(db: Db, files: MigrationFile[]): Promise<Set<string>> {
  const { statuses } = await readStatuses(db, files);
  return new Set(statuses.filter((s) => s.state === 'applied' || s.state === 'changed' || s.state === 'unverified').map((s) => s.name));
}

export function repairOf(o: ChatObjectState, files: MigrationFile[], applied: Set<string>): string | undefined {
  if (o.state === 'ok') return undefined;
  // The key's repair depends on what stands in its place: the inspection spelled it out.
  if (o.kind === 'key') return o.repair;
  if (o.state === 'disabled') return `ALTER TABLE ${o.table ?? 'bookings'} ENABLE TRIGGER ${o.name}`;
  const defining = o.expectedMigration;
  if (!defining || !applied.has(defining)) return asInvoked('migrate up');
  const previous = files[files.findIndex((f) => f.name === defining) - 1]?.name;
  if (!previous) return `re-create ${o.name} as ${o.expectedFrom} defines it`;
  return `${asInvoked(`migrate down --to ${previous}`)} then ${asInvoked('migrate up')} (re-applies ${defining} and every migration after it)`;
}

/** The chat objects as the migrations define them, each one that is not ok with its repair. */
export async function inspectChatObjectsWithRepairs(db: Db, files: MigrationFile[]): Promise<ChatObjectState[]> {
  // The functions' search_path is pinned to the schema the migration ran in: the one checked here.
  const objects = await inspectChatObjects(db, expectedChatObjects(files, { schema: await currentSchema(db) }));
  if (objects.every((o) => o.state === 'ok')) return objects;
  const applied = await appliedMigrations(db, files);
  return objects.map((o) => (o.state === 'ok' ? o : { ...o, repair: repairOf(o, files, applied) }));
}
