/**
 * bookops outbox stats: rows of outbox_notifications per status and type (statuses lower-cased),
 * and the counts the outbox repairs act on: duplicate keys (dedupe), stuck rows (requeue) and
 * failed rows with no retry ahead (retry-failed). Read-only.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { runSql } from '../../data/sql-files.js';
import { OUTBOX_FAILED, OUTBOX_PENDING } from '../../domain/statuses.js';
import { requireModule } from '../shared/support-render.js';

export interface StatsOptions {
  lockedFor?: number;
  pendingFor?: number;
}

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
  thresholds: { lockedForMs: number; pendingForMs: number };
}

export const DEFAULTS = { lockedForMs: 15 * 60_000, pendingForMs: 60 * 60_000 };

export async function run(ctx: Context, opts: StatsOptions): Promise<OutboxStats> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  const thresholds = { lockedForMs: opts.lockedFor ?? DEFAULTS.lockedForMs, pendingForMs: opts.pendingFor ?? DEFAULTS.pendingForMs };
  const rows = await runSql<{ status: string; type: string; rows: number }>(db, 'support/outbox-stats');
  const [health] = await runSql<{ duplicate_keys: number; duplicate_rows: number; stuck: number; failed_without_retry: number }>(
    db,
    'support/outbox-health',
    { ...thresholds, pendingStatus: OUTBOX_PENDING, failedStatus: OUTBOX_FAILED },
  );
  const stats: OutboxStats = {
    total: 0,
    byStatus: {},
    byType: {},
    byTypeAndStatus: {},
    duplicateKeys: health.duplicate_keys,
    duplicateRows: health.duplicate_rows,
    stuck: health.stuck,
    failedWithoutRetry: health.failed_without_retry,
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

export function render(s: OutboxStats, out: Output): void {
  const statuses = Object.keys(s.byStatus).sort();
  out.print(`outbox_notifications: ${s.total} row(s)`);
  if (s.total > 0) {
    out.print(
      out.table(
        ['type', ...statuses, 'total'],
        [
          ...Object.keys(s.byType)
            .sort()
            .map((type) => [type, ...statuses.map((st) => s.byTypeAndStatus[type][st] ?? 0), s.byType[type]]),
          ['total', ...statuses.map((st) => s.byStatus[st]), s.total],
        ],
      ),
    );
  }
  const line = (n: number, what: string, fix: string) => out.print(`${n > 0 ? out.c.yellow(String(n)) : n} ${what}${n > 0 ? ` (${fix})` : ''}`);
  line(s.duplicateKeys, `duplicate key(s) (type, booking_id, candidate_tg_id), ${s.duplicateRows} extra row(s)`, 'bookops outbox dedupe');
  line(s.stuck, 'stuck pending row(s)', 'bookops outbox requeue <id...>; ids: bookops audit outbox.stuck');
  line(s.failedWithoutRetry, 'failed row(s) with no retry ahead', 'bookops outbox retry-failed');
}
