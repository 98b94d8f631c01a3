/**
 * A migration's preflight query lists the rows that would make it fail (typically the rows that
 * violate a unique index about to be built). Any row means `up` refuses before changing
 * anything, and says which rows. A down-preflight does the same for `down` (the rows that would
 * violate the old key it restores).
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

export type Direction = 'up' | 'down';

export async function runPreflight(
  db: Knex | Knex.Transaction,
  migration: MigrationFile,
  opts: { refuse: boolean; direction?: Direction },
): Promise<PreflightResult | undefined> {
  const direction = opts.direction ?? 'up';
  const preflight = direction === 'up' ? migration.preflight : migration.downPreflight;
  if (!preflight || (await missingTables(db, migration)).length) return undefined;
  const sql = substitute(preflight.sql, MIGRATION_VARIABLES, `migrations/${migration.name}:${preflight.line}`).replace(/\?/g, '\\?');
  const [{ violations }] = (await db.raw(`SELECT count(*)::int AS violations FROM (${sql}) AS preflight`)).rows;
  const sample = violations ? (await db.raw(`SELECT * FROM (${sql}) AS preflight LIMIT ${PREFLIGHT_SAMPLE}`)).rows : [];
  const result = { description: preflight.description, violations, sample };
  if (violations && opts.refuse) {
    throw new RefusedError(
      `${migration.name}: ${direction === 'up' ? 'preflight' : 'down-preflight'} found ${violations} row(s): ${preflight.description}; first: ${sample
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

/**
 * Every preflight of the migrations a run will apply (or revert), before the first change:
 * refuses once, naming each migration that found rows (the first with its sample), so one run
 * shows everything to resolve and a refused run leaves the database as it was.
 */
export async function refuseOnAnyPreflight(db: Knex | Knex.Transaction, pending: MigrationFile[], direction: Direction = 'up'): Promise<void> {
  const failed: Array<{ migration: string; preflight: PreflightResult }> = [];
  for (const migration of pending) {
    const preflight = await runPreflight(db, migration, { refuse: false, direction });
    if (preflight?.violations) failed.push({ migration: migration.name, preflight });
  }
  if (failed.length === 0) return;
  try {
    await runPreflight(db, pending.find((m) => m.name === failed[0].migration)!, { refuse: true, direction });
  } catch (err) {
    if (!(err instanceof RefusedError) || failed.length === 1) throw err;
    const others = failed.slice(1).map((f) => `${f.migration}: ${f.preflight.violations} row(s), ${f.preflight.description}`);
    throw new RefusedError(`${err.message.replace(/\. Nothing was changed$/, '')}. Also ${others.join('; ')}. Nothing was changed`, {
      hint: direction === 'up' ? 'bookops migrate plan shows every preflight with its rows' : 'bookops migrate down --dry-run shows every down-preflight with its rows',
      details: { ...err.details, preflights: failed },
    });
  }
}
