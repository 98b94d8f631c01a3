/**
 * What is applied, read without creating anything (status and plan run on databases that have
 * never seen bookops), and compared with the files: pending, applied, changed since applied
 * (checksum), or applied but missing from the migrations folder.
 */
import * as migrateData from '../data/migrate.repository.js';
import type { AppliedRow } from '../data/migrate.repository.js';
import type { Db } from '../data/sql.js';
import type { MigrationFile } from './migration-file.js';
import { missingTables } from './requirements.js';

export const MIGRATIONS_TABLE = 'bookops_migrations';

export type { AppliedRow } from '../data/migrate.repository.js';

/** skipped: recorded as applied without running, its module's tables being absent (still so). */
export type MigrationState = 'applied' | 'pending' | 'changed' | 'unverified' | 'missing' | 'skipped';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt: string | null;
  transactional: boolean | null;
  reversible: boolean | null;
  description: string;
  /** Why it is skipped, or pending again. */
  note?: string;
}

export async function readApplied(db: Db): Promise<AppliedRow[]> {
  const tables = await migrateData.bookkeepingTables(db);
  if (!tables.migrations) return [];
  if (!tables.checksums) {
    const rows = await db(MIGRATIONS_TABLE).select('name', 'batch', { applied_at: 'migration_time' }).orderBy('id');
    return rows.map((r) => ({ ...r, checksum: null, skipped_for: null }));
  }
  return migrateData.applied(db);
}

/** The file is what was applied: the same checksum, or one an earlier release recorded for the same statements. */
export function sameAsApplied(file: MigrationFile, checksum: string): boolean {
  return checksum === file.checksum || file.earlierChecksums.includes(checksum);
}

/**
 * Compares the files with what is applied. `revived`: migrations recorded as skipped whose tables
 * exist now (see revivedSkips): they are pending again.
 */
export function compare(files: MigrationFile[], applied: AppliedRow[], revived: string[] = []): MigrationStatus[] {
  const byName = new Map(applied.map((a) => [a.name, a]));
  const statuses: MigrationStatus[] = files.map((file) => {
    const row = revived.includes(file.name) ? undefined : byName.get(file.name);
    let state: MigrationState = 'pending';
    if (row) state = row.checksum === null ? 'unverified' : !sameAsApplied(file, row.checksum) ? 'changed' : row.skipped_for?.length ? 'skipped' : 'applied';
    const missingThen = skippedFor(applied, file.name)?.join(', ');
    const note = revived.includes(file.name)
      ? `skipped earlier (no table ${missingThen}); the tables exist now`
      : state === 'skipped'
        ? `recorded without running: no table ${missingThen}`
        : undefined;
    return {
      name: file.name,
      state,
      appliedAt: row ? new Date(row.applied_at).toISOString() : null,
      transactional: file.transactional,
      reversible: Boolean(file.down),
      description: file.description,
      ...(note ? { note } : {}),
    };
  });
  const known = new Set(files.map((f) => f.name));
  for (const row of applied) {
    if (!known.has(row.name)) {
      statuses.push({
        name: row.name,
        state: 'missing',
        appliedAt: new Date(row.applied_at).toISOString(),
        transactional: null,
        reversible: null,
        description: 'applied, but the file is not in the migrations folder',
      });
    }
  }
  return statuses;
}

/** Applied migrations whose file was edited since, or is gone: `up` and `down` refuse over them (without --allow-changed). */
export function changedSinceApplied(files: MigrationFile[], applied: AppliedRow[]): MigrationStatus[] {
  return compare(files, applied).filter((s) => s.state === 'changed' || s.state === 'missing');
}

/** The same, from rows already read: the tables it lacked when recorded without running, else null. */
export function skippedFor(applied: AppliedRow[], name: string): string[] | null {
  const row = applied.find((a) => a.name === name);
  return row?.skipped_for?.length ? row.skipped_for : null;
}

/** The tables a migration lacked when it was recorded without running; null when it ran. */
export async function recordedSkip(db: Db, name: string): Promise<string[] | null> {
  const skipped = await migrateData.recordedSkip(db, name);
  return skipped?.length ? skipped : null;
}

/**
 * Migrations recorded as skipped (their module's tables were absent) whose tables exist now: up
 * applies them after all (they are written to run on any later state), plan and status show them
 * as pending.
 */
export async function revivedSkips(db: Db, files: MigrationFile[], applied: AppliedRow[]): Promise<string[]> {
  const revived: string[] = [];
  for (const row of applied.filter((a) => a.skipped_for?.length)) {
    const file = files.find((f) => f.name === row.name);
    if (file && (await missingTables(db, file)).length === 0) revived.push(row.name);
  }
  return revived;
}

/** Each file against what the database recorded, as `migrate status` shows them (revived skips pending). */
export async function readStatuses(
  db: Db,
  files: MigrationFile[],
): Promise<{ applied: AppliedRow[]; statuses: MigrationStatus[] }> {
  const applied = await readApplied(db);
  return { applied, statuses: compare(files, applied, await revivedSkips(db, files, applied)) };
}

export function pendingUpTo(files: MigrationFile[], applied: AppliedRow[], to?: MigrationFile, revived: string[] = []): MigrationFile[] {
  const done = new Set(applied.map((a) => a.name).filter((name) => !revived.includes(name)));
  const last = to ? files.indexOf(to) : files.length - 1;
  return files.slice(0, last + 1).filter((f) => !done.has(f.name));
}
