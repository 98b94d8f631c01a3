/**
 * A migration's preflight lists the rows that would make it fail (typically the rows that violate
 * a unique index about to be built): a rule of bookops' own it names (preflight-rules.ts), or a
 * query of the migration file. Any row means `up` refuses before changing anything, and says
 * which rows. A down-preflight does the same for `down` (the rows that would violate the old key
 * it restores).
 */
import type { Knex } from 'knex';
import * as migrateData from '../data/migrate.repository.js';
import { isPgError } from '../data/pg-errors.js';
import type { Db } from '../data/sql.js';
import { RefusedError } from '../errors.js';
import type { MigrationFile, Preflight } from './migration-file.js';
import { PREFLIGHT_RULES } from './preflight-rules.js';
import { substitute } from './render.js';
import { missingTables } from './requirements.js';
import { MIGRATION_VARIABLES } from './variables.js';
import { asInvoked } from '../invocation.js';

export const PREFLIGHT_SAMPLE = 10;

export interface PreflightResult {
  description: string;
  /** The rule it read, when the migration names one (the audit check of that id reports the same rows). */
  rule?: string;
  violations: number;
  sample: Record<string, unknown>[];
}

export type Direction = 'up' | 'down';

/** The rows a preflight finds now. */
async function preflightRows(db: Db, migration: MigrationFile, preflight: Preflight): Promise<{ count: number; sample: Record<string, unknown>[] }> {
  if (preflight.rule) {
    const rule = PREFLIGHT_RULES[preflight.rule];
    if (!rule) throw new RefusedError(`migrations/${migration.name}:${preflight.line}: no preflight rule '${preflight.rule}' (known: ${Object.keys(PREFLIGHT_RULES).join(', ')})`);
    return rule(db, PREFLIGHT_SAMPLE);
  }
  const where = `migrations/${migration.name}:${preflight.line}`;
  return migrateData.preflightRows(db, migrateData.migrationStatement(where, substitute(preflight.sql!, MIGRATION_VARIABLES, where)), PREFLIGHT_SAMPLE);
}

export async function runPreflight(db: Db, migration: MigrationFile, opts: { refuse: boolean; direction?: Direction }): Promise<PreflightResult | undefined> {
  const direction = opts.direction ?? 'up';
  const preflight = direction === 'up' ? migration.preflight : migration.downPreflight;
  if (!preflight || (await missingTables(db, migration)).length) return undefined;
  const { count: violations, sample } = await preflightRows(db, migration, preflight);
  const result: PreflightResult = { description: preflight.description, ...(preflight.rule ? { rule: preflight.rule } : {}), violations, sample };
  if (violations && opts.refuse) throw refusal(migration.name, direction, result);
  return result;
}

function refusal(migration: string, direction: Direction, result: PreflightResult): RefusedError {
  return new RefusedError(
    `${migration}: ${direction === 'up' ? 'preflight' : 'down-preflight'} found ${result.violations} row(s): ${result.description}; first: ${result.sample
      .slice(0, 3)
      .map(formatRow)
      .join('; ')}. Nothing was changed`,
    { details: { migration, preflight: result } },
  );
}

export function formatRow(row: Record<string, unknown>): string {
  return Object.entries(row)
    .map(([k, v]) => `${k}=${v instanceof Date ? v.toISOString() : Array.isArray(v) ? `[${v.join(',')}]` : String(v)}`)
    .join(' ');
}

/** PostgreSQL's undefined_table: a relation the preflight reads does not exist (yet). */
const UNDEFINED_TABLE = '42P01';

/**
 * A preflight run ahead of its migration (before a run's first change, or by a plan), in a
 * savepoint of `db` when it is a transaction. One whose tables do not exist yet is not run
 * (undefined): they are declared absent (bookops:requires-tables), or the server finds a table it
 * reads absent (an earlier migration of the run creates it). It then runs just before its
 * migration. Any other failure (no privilege, a column of another type) is the caller's: a
 * preflight that could not run never passes as one that found nothing.
 */
export async function preflightAhead(db: Db, migration: MigrationFile, direction: Direction = 'up'): Promise<PreflightResult | undefined> {
  try {
    return await (db as Knex).transaction((sp) => runPreflight(sp, migration, { refuse: false, direction }));
  } catch (err) {
    if (isPgError(err, UNDEFINED_TABLE)) return undefined;
    throw err;
  }
}

/**
 * Every preflight of the migrations a run will apply (or revert), before the first change:
 * refuses once, naming each migration that found rows (the first with its sample), so one run
 * shows everything to resolve and a refused run leaves the database as it was.
 */
export async function refuseOnAnyPreflight(db: Db, pending: MigrationFile[], direction: Direction = 'up'): Promise<Set<string>> {
  const failed: Array<{ migration: string; preflight: PreflightResult }> = [];
  // The migrations whose preflight ran here (their tables exist) and found nothing.
  const passed = new Set<string>();
  for (const migration of pending) {
    const preflight = await preflightAhead(db, migration, direction);
    if (preflight?.violations) failed.push({ migration: migration.name, preflight });
    else if (preflight) passed.add(migration.name);
  }
  if (failed.length === 0) return passed;
  const first = refusal(failed[0].migration, direction, failed[0].preflight);
  if (failed.length === 1) throw first;
  const others = failed.slice(1).map((f) => `${f.migration}: ${f.preflight.violations} row(s), ${f.preflight.description}`);
  throw new RefusedError(`${first.message.replace(/\. Nothing was changed$/, '')}. Also ${others.join('; ')}. Nothing was changed`, {
    hint: direction === 'up' ? `${asInvoked('migrate plan')} shows every preflight with its rows` : `${asInvoked('migrate down --dry-run')} shows every down-preflight with its rows`,
    details: { ...first.details, preflights: failed },
  });
}
