/**
 * `-- bookops:requires-tables a, b`: a migration for one module. On a database that does not
 * have that module (any subset of the four may be present), the migration is recorded as
 * applied without running anything, and says so.
 */
import type { Knex } from 'knex';
import { runSql } from '../data/sql-files.js';
import type { MigrationFile } from './migration-file.js';

export function requiredTables(migration: MigrationFile): string[] {
  return (migration.directives['requires-tables'] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
}

export async function missingTables(db: Knex | Knex.Transaction, migration: MigrationFile): Promise<string[]> {
  const required = requiredTables(migration);
  if (required.length === 0) return [];
  const present = new Set((await runSql<{ name: string }>(db, 'introspect/tables', { names: required })).map((r) => r.name));
  return required.filter((t) => !present.has(t));
}
