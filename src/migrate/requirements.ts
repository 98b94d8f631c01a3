/**
 * `-- bookops:requires-tables a, b`: a migration for one module. On a database that does not
 * have that module (any subset of the four may be present), the migration is recorded as
 * applied without running anything, and says so.
 */
import { existingTables } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import type { MigrationFile } from './migration-file.js';

export function requiredTables(migration: MigrationFile): string[] {
  return (migration.directives['requires-tables'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export async function missingTables(db: Db, migration: MigrationFile): Promise<string[]> {
  const required = requiredTables(migration);
  if (required.length === 0) return [];
  const present = await existingTables(db, required);
  return required.filter((t) => !present.includes(t));
}
