/**
 * outbox stats: rows per status and type (statuses lower-cased), and the counts the outbox
 * repairs act on, by the same rules the audit checks and the repairs read (sql/outbox/rules.sql):
 * duplicate keys (dedupe), stuck rows (requeue) and failed rows with no retry ahead (retry-failed).
 */
import * as outbox from '../../data/outbox.repository.js';
import { STUCK_DEFAULTS, type StuckThresholds } from '../../data/outbox.repository.js';
import type { Db } from '../../data/sql.js';
import { PREVIEW_ROWS } from '../preview-rows.js';
import { requireModule } from '../require-module.js';

export { STUCK_DEFAULTS };

export interface OutboxStats {
  total: number;
  byStatus: Record<string, number>;
  byType: Record<string, number>;
  /** rows per type and status: { type: { status: rows } } */
  byTypeAndStatus: Record<string, Record<string, number>>;
  duplicateKeys: number;
  duplicateRows: number;
  stuck: number;
  failedWithoutRetry: number;
  /** The ids each count counts (the first `sample` of them, lowest first): what dedupe removes, requeue and retry-failed take. */
  ids: { duplicateRows: number[]; stuck: number[]; failedWithoutRetry: number[] };
  thresholds: StuckThresholds;
}

export async function outboxStats(db: Db, thresholds: StuckThresholds = STUCK_DEFAULTS, sample = PREVIEW_ROWS): Promise<OutboxStats> {
  await requireModule(db, 'recruiting', 'reads');
  const rows = await outbox.rowsByStatusAndType(db);
  const health = await outbox.health(db, thresholds, sample);
  const stats: OutboxStats = {
    total: 0,
    byStatus: {},
    byType: {},
    byTypeAndStatus: {},
    duplicateKeys: health.duplicate_keys,
    duplicateRows: health.duplicate_rows,
    stuck: health.stuck,
    failedWithoutRetry: health.failed_without_retry,
    ids: { duplicateRows: health.duplicate_row_ids.map(Number), stuck: health.stuck_ids.map(Number), failedWithoutRetry: health.failed_ids.map(Number) },
    thresholds,
  };
  for (const r of rows) {
    stats.total += r.rows;
    stats.byStatus[r.status] = (stats.byStatus[r.status] ?? 0) + r.rows;
    stats.byType[r.type] = (stats.byType[r.type] ?? 0) + r.rows;
    (stats.byTypeAndStatus[r.type] ??= {})[r.status] = r.rows;
  }
  return stats;
}
