/**
 * The demo marker, bookops_demo: one row per seeding with the seed report. It tells `bookops
 * demo` that this database is its own (so it may show it again, or reset it) and keeps the
 * report, so a second run prints the same counts without reseeding.
 */
import type { Knex } from 'knex';
import * as demo from '../data/demo.repository.js';
import type { SeedReport } from './types.js';

export async function saveReport(trx: Knex.Transaction, report: SeedReport): Promise<void> {
  await demo.ensureMarker(trx);
  await demo.step(trx, 'marker-insert', { scale: report.scale, report: JSON.stringify(report) });
}

export interface StoredReport {
  seededAt: string;
  report: SeedReport;
}

/** The latest stored report; undefined when the marker table is absent or empty. */
export async function latestReport(db: Knex | Knex.Transaction): Promise<StoredReport | undefined> {
  if (!(await demo.markerExists(db))) return undefined;
  const [row] = await demo.step<{ seeded_at: Date; report: SeedReport }>(db, 'marker-latest');
  return row ? { seededAt: row.seeded_at.toISOString(), report: row.report } : undefined;
}
