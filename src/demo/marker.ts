/**
 * The demo marker, bookops_demo: one row per seeding with the seed report. It tells `bookops
 * demo` that this database is its own (so it may show it again, or reset it) and keeps the
 * report, so a second run prints the same counts without reseeding.
 */
import type { Knex } from 'knex';
import { runSql, sqlText } from '../data/sql-files.js';
import type { SeedReport } from './types.js';

export async function saveReport(trx: Knex.Transaction, report: SeedReport): Promise<void> {
  await trx.raw(sqlText('demo/marker'));
  await runSql(trx, 'demo/marker-insert', { scale: report.scale, report: JSON.stringify(report) });
}

export interface StoredReport {
  seededAt: string;
  report: SeedReport;
}

/** The latest stored report; undefined when the marker table is absent or empty. */
export async function latestReport(db: Knex | Knex.Transaction): Promise<StoredReport | undefined> {
  const { rows } = await db.raw("SELECT to_regclass('bookops_demo') IS NOT NULL AS present");
  if (!rows[0].present) return undefined;
  const [row] = await runSql<{ seeded_at: Date; report: SeedReport }>(db, 'demo/marker-latest');
  return row ? { seededAt: row.seeded_at.toISOString(), report: row.report } : undefined;
}
