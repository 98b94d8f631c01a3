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

/**
 * Every pending migration's preflight, before the first change: refuses once, naming each
 * migration that found rows (the first with its sample), so one run shows everything to resolve.
 */
export async function refuseOnAnyPreflight(db: Knex | Knex.Transaction, pending: MigrationFile[]): Promise<void> {
  const failed: Array<{ migration: string; preflight: PreflightResult }> = [];
  for (const migration of pending) {
    const preflight = await runPreflight(db, migration, { refuse: false });
    if (preflight?.violations) failed.push({ migration: migration.name, preflight });
  }
  if (failed.length === 0) return;
  try {
    await runPreflight(db, pending.find((m) => m.name === failed[0].migration)!, { refuse: true });
  } catch (err) {
    if (!(err instanceof RefusedError) || failed.length === 1) throw err;
    const others = failed.slice(1).map((f) => `${f.migration}: ${f.preflight.violations} row(s), ${f.preflight.description}`);
    throw new RefusedError(`${err.message.replace(/\. Nothing was changed$/, '')}. Also ${others.join('; ')}. Nothing was changed`, {
      hint: 'bookops migrate plan shows every preflight with its rows',
      details: { ...err.details, preflights: failed },
    });
  }
}
