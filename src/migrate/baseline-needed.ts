/**
 * A production database bookops has never migrated: the platform tables are there, but the
 * baseline is not recorded. Running the baseline would fail half-way ("relation already
 * exists"); `migrate baseline` records it instead. up refuses, plan and status say so.
 */
import type { Knex } from 'knex';
import { RefusedError } from '../errors.js';
import { runSql } from '../data/sql-files.js';
import { MODULE_NAMES, MODULES } from '../domain/modules.js';
import type { MigrationFile } from './migration-file.js';
import type { AppliedRow } from './state.js';

/** The platform tables that exist while the baseline is pending (empty: nothing to say). */
export async function tablesWithoutBaseline(db: Knex | Knex.Transaction, files: MigrationFile[], applied: AppliedRow[]): Promise<string[]> {
  const baseline = files.find((f) => f.isBaseline);
  if (!baseline || applied.some((a) => a.name === baseline.name)) return [];
  return platformTables(db);
}

/**
 * The platform tables that exist. One is enough for `up` to refuse and for `baseline` to record
 * (the same test for both, so neither sends the user to the other): a module that is there only
 * in part is still the production schema, and its fix migrations skip what is absent.
 */
export async function platformTables(db: Knex | Knex.Transaction): Promise<string[]> {
  const names = MODULE_NAMES.flatMap((m) => [...MODULES[m]]);
  const rows = await runSql<{ name: string }>(db, 'introspect/tables', { names });
  return names.filter((n) => rows.some((r) => r.name === n));
}

export const BASELINE_FIRST = 'run bookops migrate baseline to record the schema as it is, then bookops migrate up';

export function baselineNeededError(tables: string[]): RefusedError {
  const shown = tables.slice(0, 4).join(', ') + (tables.length > 4 ? `, … (${tables.length} tables)` : '');
  return new RefusedError(`the platform tables already exist here (${shown}) but no baseline is recorded; nothing was changed`, {
    hint: BASELINE_FIRST,
    details: { tables },
  });
}
