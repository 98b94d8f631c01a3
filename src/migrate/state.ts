/**
 * What is applied, read without creating anything (status and plan run on databases that have
 * never seen bookops), and compared with the files: pending, applied, changed since applied
 * (checksum), or applied but missing from the migrations folder.
 */
import type { Knex } from 'knex';
import { runSql } from '../data/sql-files.js';
import type { MigrationFile } from './migration-file.js';

export const MIGRATIONS_TABLE = 'bookops_migrations';

export interface AppliedRow {
  name: string;
  batch: number;
  applied_at: Date;
  checksum: string | null;
}

export type MigrationState = 'applied' | 'pending' | 'changed' | 'unverified' | 'missing';

export interface MigrationStatus {
  name: string;
  state: MigrationState;
  appliedAt: string | null;
  transactional: boolean | null;
  reversible: boolean | null;
  description: string;
}

export async function readApplied(db: Knex | Knex.Transaction): Promise<AppliedRow[]> {
  const [tables] = await runSql<{ migrations: boolean; checksums: boolean }>(db, 'migrate/bookkeeping-tables');
  if (!tables.migrations) return [];
  if (!tables.checksums) {
    const rows = await db(MIGRATIONS_TABLE).select('name', 'batch', { applied_at: 'migration_time' }).orderBy('id');
    return rows.map((r) => ({ ...r, checksum: null }));
  }
  return runSql<AppliedRow>(db, 'migrate/applied');
}

export function compare(files: MigrationFile[], applied: AppliedRow[]): MigrationStatus[] {
  const byName = new Map(applied.map((a) => [a.name, a]));
  const statuses: MigrationStatus[] = files.map((file) => {
    const row = byName.get(file.name);
    let state: MigrationState = 'pending';
    if (row) state = row.checksum === null ? 'unverified' : row.checksum === file.checksum ? 'applied' : 'changed';
    return {
      name: file.name,
      state,
      appliedAt: row ? new Date(row.applied_at).toISOString() : null,
      transactional: file.transactional,
      reversible: Boolean(file.down),
      description: file.description,
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

export function pendingUpTo(files: MigrationFile[], applied: AppliedRow[], to?: MigrationFile): MigrationFile[] {
  const done = new Set(applied.map((a) => a.name));
  const last = to ? files.indexOf(to) : files.length - 1;
  return files.slice(0, last + 1).filter((f) => !done.has(f.name));
}
