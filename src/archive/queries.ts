/** Reading the archive (list, show) without creating it on databases that have none. */
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.js';
import { runSql } from '../data/sql-files.js';

export interface OperationSummary {
  id: number;
  action: string;
  command_line: string;
  db_user: string;
  os_user: string | null;
  created_at: Date;
  restored_at: Date | null;
  restored_by?: string | null;
  summary: Record<string, unknown>;
  rows: number;
  /** False while the run never reached its end (interrupted, a later batch failed, or still running). */
  complete: boolean;
}

export interface OperationDetail extends OperationSummary {
  tables: Array<{ table_name: string; change: string; rows: number }>;
  sample: Array<{ table_name: string; change: string; row_data: Record<string, unknown> }>;
}

export async function archiveExists(db: Knex | Knex.Transaction): Promise<boolean> {
  const { rows } = await db.raw(
    "SELECT to_regclass('bookops_archive_operations') IS NOT NULL AND to_regclass('bookops_archive_rows') IS NOT NULL AS present",
  );
  return rows[0].present;
}

export async function listOperations(db: Knex | Knex.Transaction, limit: number): Promise<OperationSummary[]> {
  if (!(await archiveExists(db))) return [];
  return runSql<OperationSummary>(db, 'archive/list-operations', { limit });
}

export async function showOperation(db: Knex | Knex.Transaction, operationId: number, sampleRows: number): Promise<OperationDetail> {
  const [op] = (await archiveExists(db)) ? await runSql<OperationSummary>(db, 'archive/operation', { operationId }) : [];
  if (!op) throw new NotFoundError(`archive operation ${operationId} does not exist`, { hint: 'bookops archive list' });
  const tables = await runSql<OperationDetail['tables'][number]>(db, 'archive/operation-tables', { operationId });
  const sample = await runSql<OperationDetail['sample'][number]>(db, 'archive/operation-sample', { operationId, limit: sampleRows });
  return { ...op, tables, sample };
}
