/**
 * What `bookops demo` finds on its target, before it writes anything:
 *   demo     the marker table holds a seed report: show it again, change nothing;
 *   empty    nothing but bookops' own bookkeeping: create the legacy schema, then seed;
 *   schema   every platform table present and empty, nothing else: seed;
 *   foreign  anything else (other tables, platform rows, half a schema): refuse.
 */
import type { Knex } from 'knex';
import * as demo from '../data/demo.repository.js';
import { latestReport, type StoredReport } from './marker.js';
import { listed as sample, PLATFORM_TABLES, tableStates } from './preconditions.js';

export type DemoState =
  | { kind: 'demo'; stored: StoredReport }
  | { kind: 'empty' }
  | { kind: 'schema' }
  | { kind: 'foreign'; reason: string };

export async function demoState(db: Knex): Promise<DemoState> {
  const stored = await latestReport(db);
  if (stored) return { kind: 'demo', stored };
  const [found] = await demo.step<{ foreign_tables: string[]; platform_tables: string[] }>(db, 'database-state', {
    platform: PLATFORM_TABLES,
  });
  if (found.foreign_tables.length) {
    return { kind: 'foreign', reason: `it holds tables bookops did not create (${sample(found.foreign_tables)})` };
  }
  if (found.platform_tables.length === 0) return { kind: 'empty' };
  const states = await tableStates(db);
  const missing = states.filter((t) => !t.present).map((t) => t.name);
  if (missing.length) return { kind: 'foreign', reason: `it holds part of the platform schema (missing ${sample(missing)})` };
  const filled = states.filter((t) => t.has_rows).map((t) => t.name);
  if (filled.length) return { kind: 'foreign', reason: `its platform tables hold data (${sample(filled)})` };
  return { kind: 'schema' };
}
