/**
 * Where the seeder may write: every platform table of the legacy baseline present, and all of
 * them empty. Anything else is refused before a single row is written: a missing table like every
 * command's (AbsentTablesError, exit 7), a filled one with exit 4.
 */
import type { Knex } from 'knex';
import * as demo from '../data/demo.repository.js';
import { MODULES, MODULE_NAMES } from '../platform/modules.js';
import { AbsentTablesError, RefusedError } from '../errors.js';
import { asInvoked } from '../invocation.js';

export const PLATFORM_TABLES: string[] = MODULE_NAMES.flatMap((m) => [...MODULES[m]]);

export interface TableState {
  name: string;
  present: boolean;
  has_rows: boolean;
}

export function tableStates(db: Knex | Knex.Transaction): Promise<TableState[]> {
  return demo.step<TableState>(db, 'table-state', { names: PLATFORM_TABLES });
}

/** Up to four names, then how many more. */
export function listed(names: string[]): string {
  return names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
}

export async function assertSeedable(db: Knex | Knex.Transaction, label: string): Promise<void> {
  const states = await tableStates(db);
  const missing = states.filter((t) => !t.present).map((t) => t.name);
  if (missing.length) {
    throw new AbsentTablesError(
      `${label} lacks the platform schema: ${missing.length === PLATFORM_TABLES.length ? 'no platform table exists' : `missing ${listed(missing)}`}`,
      missing,
      { hint: `create it first with ${asInvoked('migrate up --to 0001')}, or run ${asInvoked('demo')}, which does both`, details: { missing } },
    );
  }
  const filled = states.filter((t) => t.has_rows).map((t) => t.name);
  if (filled.length) {
    throw new RefusedError(`${label} already holds platform data (${listed(filled)}); demo seed only fills empty tables`, {
      hint: `seed an empty database, or on the embedded cluster start over with: ${asInvoked('demo --reset')}`,
      details: { filled },
    });
  }
}
