/**
 * Runs one check query (sql/audit/<file>.sql). Every such query returns the offending groups or
 * rows, ordered and limited to :sample, with `count(*) OVER () AS total` (the full count before
 * the limit) and optionally `total_<x>` columns (e.g. total_bookings), which become details.
 */
import type { Knex } from 'knex';
import { runSql, type SqlParams } from '../data/sql-files.js';
import type { CheckOutcome, Row } from './types.js';

export async function querySample(db: Knex | Knex.Transaction, file: string, params: SqlParams, sample: number): Promise<CheckOutcome> {
  const rows = await runSql<Row>(db, file, { ...params, sample });
  const details: Record<string, unknown> = {};
  const cleaned = rows.map((row) => {
    const copy: Row = {};
    for (const [key, value] of Object.entries(row)) {
      if (key === 'total') continue;
      if (key.startsWith('total_')) details[key.slice('total_'.length)] = Number(value);
      else copy[key] = value;
    }
    return copy;
  });
  return {
    count: rows.length ? Number(rows[0].total) : 0,
    sample: cleaned,
    details: Object.keys(details).length ? details : undefined,
  };
}
