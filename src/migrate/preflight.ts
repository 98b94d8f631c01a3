/**
 * A migration's preflight query lists the rows that would make it fail (typically the rows that
 * violate a unique index about to be built). Any row means `up` refuses before changing
 * anything, and says which rows.
 */
import type { Knex } from 'knex';
import { RefusedError } from '../errors.js';
import type { MigrationFile } from './migration-file.js';
import { substitute } from './render.js';
import { MIGRATION_VARIABLES } from './variables.js';
import { missingTables } from './requirements.js';

export const PREFLIGHT_SAMPLE = 10;

export interface PreflightResult {
  description: string;
  violations: number;
  sample: Record<string, unknown>[];
}

export async function runPreflight(
  db: Knex | Knex.Transaction,
  migration: MigrationFile,
  opts: { refuse: boolean },
): Promise<PreflightResult | undefined> {
  const preflight = migration.preflight;
  if (!preflight || (await missingTables(db, migration)).length) return undefined;
  const sql = substitute(preflight.sql, MIGRATION_VARIABLES, `migrations/${migration.name}:${preflight.line}`).replace(/\?/g, '\\?');
  const [{ violations }] = (await db.raw(`SELECT count(*)::int AS violations FROM (${sql}) AS preflight`)).rows;
  const sample = violations ? (await db.raw(`SELECT * FROM (${sql}) AS preflight LIMIT ${PREFLIGHT_SAMPLE}`)).rows : [];
  const result = { description: preflight.description, violations, sample };
  if (violations && opts.refuse) {
    throw new RefusedError(
      `${migration.name}: preflight found ${violations} row(s): ${preflight.description}; first: ${sample
        .slice(0, 3)
        .map(formatRow)
        .join('; ')}. Nothing was changed`,
      { details: { migration: migration.name, preflight: result } },
    );
  }
  return result;
}

export function formatRow(row: Record<string, unknown>): string {
  return Object.entries(row)
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
    .join(' ');
}
