/**
 * What bookops exposes to Prometheus, family by family, from a result's plain data (no target
 * label: mergeByTarget adds it). Read by `audit --format prometheus`, `chats metrics` and the
 * exporter (`serve`), so the three never name a series differently.
 */
import type { AuditReport } from '../audit/report.js';
import type { CheckStatus } from '../audit/types.js';
import type { ChatMetrics } from '../chats/metrics.js';
import type { Metric } from './prometheus.js';

const gauge = (name: string, help: string, samples: Metric['samples']): Metric => ({ name, help, type: 'gauge', samples });

/** bookops_up: 1 when the target answered and its collection completed, 0 when it did not. */
export function upMetric(up: boolean): Metric {
  return gauge('bookops_up', 'Whether the target answered and bookops collected its metrics (1) or not (0).', [{ value: up ? 1 : 0 }]);
}

const STATUSES: readonly CheckStatus[] = ['ok', 'finding', 'skipped', 'error'];

/** An audit as bookops_audit_*: per check its count and its status (one series per status, 1 for the current one). */
export function auditMetrics(r: AuditReport): Metric[] {
  const labels = (c: AuditReport['checks'][number]) => ({ check: c.id, module: c.module, severity: c.severity });
  return [
    gauge(
      'bookops_audit_findings',
      'What the check counted (offending rows or groups; info checks: what they count). Absent when the check was skipped or failed.',
      r.checks.filter((c) => c.status === 'ok' || c.status === 'finding').map((c) => ({ labels: labels(c), value: c.count })),
    ),
    gauge(
      'bookops_audit_check_status',
      'The check\'s status: 1 on the series of its current status (ok, finding, skipped, error), 0 on the others.',
      r.checks.flatMap((c) => STATUSES.map((status) => ({ labels: { ...labels(c), status }, value: c.status === status ? 1 : 0 }))),
    ),
    gauge('bookops_audit_healthy', 'Whether the audit found nothing at or above its fail-on severity (1) or not (0).', [{ value: r.healthy ? 1 : 0 }]),
    gauge('bookops_audit_duration_seconds', 'How long the audit took.', [{ value: r.seconds }]),
    gauge('bookops_audit_timestamp_seconds', 'When the audit ran (Unix time).', [{ value: Math.floor(Date.parse(r.generatedAt) / 1000) }]),
  ];
}

/** Chat metrics as bookops_chat_* gauges; the lag ones labelled with what the lag is measured from. */
export function chatMetrics(m: ChatMetrics): Metric[] {
  const since = { since: m.since };
  const one = (name: string, help: string, value: number | null, labels?: Record<string, string>) => gauge(`bookops_chat_${name}`, help, [{ labels, value }]);
  return [
    one('rooms_created_today', 'Chat rooms (not soft-deleted) created since midnight, database time.', m.roomsCreatedToday),
    one('rooms', 'Chat rooms that are not soft-deleted.', m.roomsTotal),
    one('rooms_in_window', 'Chat rooms created within the measurement window.', m.roomsInWindow),
    one('lag_window_seconds', 'Rooms created within this many seconds are measured.', m.windowSeconds),
    one('lag_samples', 'Rooms of the window whose lag could be measured.', m.lag.samples, since),
    one('lag_avg_seconds', 'Average seconds from booking activation (or lesson end) to room creation.', m.lag.avgSeconds, since),
    one('lag_max_seconds', 'Largest seconds from booking activation (or lesson end) to room creation.', m.lag.maxSeconds, since),
    one('lag_threshold_seconds', 'Lags above this many seconds are counted as slow.', m.thresholdSeconds),
    one('lag_over_threshold', 'Rooms of the window created more than the threshold after activation (or lesson end).', m.lag.overThreshold, since),
    one('missing_pairs', 'Teacher-student pairs with an active booking and no chat room.', m.missingPairs),
    one('missing_bookings', 'Active bookings whose teacher-student pair has no chat room.', m.missingBookings),
    one('metrics_generated_timestamp_seconds', 'When bookops chats metrics collected these values (Unix time).', Math.floor(Date.parse(m.collectedAt) / 1000)),
  ];
}
