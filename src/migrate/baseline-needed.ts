/**
 * A production database bookops has never migrated: the platform tables are there, but the
 * baseline is not recorded. Running the baseline would fail half-way ("relation already
 * exists"); `migrate baseline` records it instead. up refuses, plan and status say so.
 */
import { platformTables } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { RefusedError } from '../errors.js';
import type { MigrationFile } from './migration-file.js';
import type { AppliedRow } from './state.js';
import { asInvoked } from '../invocation.js';

/** The platform tables that exist while the baseline is pending (empty: nothing to say). */
export async function tablesWithoutBaseline(db: Db, files: MigrationFile[], applied: AppliedRow[]): Promise<string[]> {
  const baseline = files.find((f) => f.isBaseline);
  if (!baseline || applied.some((a) => a.name === baseline.name)) return [];
  // One platform table is enough, for up to refuse as for baseline to record (the same test, so
  // neither sends the user to the other): a module there only in part is still production's.
  return platformTables(db);
}

/** What to run first on a database whose platform tables exist without a recorded baseline. */
export function baselineFirst(): string {
  return `run ${asInvoked('migrate baseline')} to record the schema as it is, then ${asInvoked('migrate up')}`;
}

export function baselineNeededError(tables: string[]): RefusedError {
  const shown = tables.slice(0, 4).join(', ') + (tables.length > 4 ? `, … (${tables.length} tables)` : '');
  return new RefusedError(`the platform tables already exist here (${shown}) but no baseline is recorded; nothing was changed`, {
    hint: baselineFirst(),
    details: { tables },
  });
}
