/**
 * `chats metrics`: rooms created today, the lag between a booking's activation (or its lesson's
 * end) and its room's creation, and the pairs still missing a room; as plain data and as
 * Prometheus metrics named bookops_chat_*. One READ ONLY snapshot.
 */
import type { Knex } from 'knex';
import { runSql } from '../../data/sql-files.js';
import { STATUS_PARAMS } from '../checks/data.js';
import { querySample } from '../query.js';
import type { Metric } from '../prometheus.js';

export type LagSince = 'activation' | 'lesson-end';

/** The tables sql/chats/metrics.sql and chats.missing read: all the metrics need (not users or messages). */
export const METRICS_TABLES = ['bookings', 'lessons', 'chat_rooms'] as const;

export interface ChatMetricsOptions {
  since: LagSince;
  /** Rooms created within this window are measured. */
  windowMs: number;
  /** Lags above this are counted. */
  thresholdMs: number;
}

export interface ChatMetrics {
  since: LagSince;
  windowSeconds: number;
  thresholdSeconds: number;
  roomsCreatedToday: number;
  roomsTotal: number;
  roomsInWindow: number;
  lag: {
    /** Rooms of the window with an active booking of their pair activated (or ended) before them. */
    samples: number;
    avgSeconds: number | null;
    maxSeconds: number | null;
    overThreshold: number;
  };
  missingPairs: number;
  missingBookings: number;
  collectedAt: string;
}

interface MetricsRow {
  rooms_created_today: number;
  rooms_total: number;
  rooms_in_window: number;
  lag_samples: number;
  lag_avg_seconds: number | null;
  lag_max_seconds: number | null;
  lag_over_threshold: number;
}

const round3 = (n: number | null) => (n === null ? null : Math.round(Number(n) * 1000) / 1000);

export async function collectChatMetrics(db: Knex, opts: ChatMetricsOptions): Promise<ChatMetrics> {
  const trx = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    const [row] = await runSql<MetricsRow>(trx, 'chats/metrics', {
      ...STATUS_PARAMS,
      since: opts.since,
      windowMs: opts.windowMs,
      thresholdMs: opts.thresholdMs,
    });
    const missing = await querySample(trx, 'audit/chats.missing', STATUS_PARAMS, 1);
    return {
      since: opts.since,
      windowSeconds: opts.windowMs / 1000,
      thresholdSeconds: opts.thresholdMs / 1000,
      roomsCreatedToday: Number(row.rooms_created_today),
      roomsTotal: Number(row.rooms_total),
      roomsInWindow: Number(row.rooms_in_window),
      lag: {
        samples: Number(row.lag_samples),
        avgSeconds: round3(row.lag_avg_seconds),
        maxSeconds: round3(row.lag_max_seconds),
        overThreshold: Number(row.lag_over_threshold),
      },
      missingPairs: missing.count,
      missingBookings: Number(missing.details?.bookings ?? 0),
      collectedAt: new Date().toISOString(),
    };
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

export function chatMetricsForPrometheus(m: ChatMetrics): Metric[] {
  const since = { since: m.since };
  const gauge = (name: string, help: string, value: number | null, labels?: Record<string, string>): Metric => ({
    name: `bookops_chat_${name}`,
    help,
    type: 'gauge',
    samples: [{ labels, value }],
  });
  return [
    gauge('rooms_created_today', 'Chat rooms (not soft-deleted) created since midnight, database time.', m.roomsCreatedToday),
    gauge('rooms', 'Chat rooms that are not soft-deleted.', m.roomsTotal),
    gauge('rooms_in_window', 'Chat rooms created within the measurement window.', m.roomsInWindow),
    gauge('lag_window_seconds', 'Rooms created within this many seconds are measured.', m.windowSeconds),
    gauge('lag_samples', 'Rooms of the window whose lag could be measured.', m.lag.samples, since),
    gauge('lag_avg_seconds', 'Average seconds from booking activation (or lesson end) to room creation.', m.lag.avgSeconds, since),
    gauge('lag_max_seconds', 'Largest seconds from booking activation (or lesson end) to room creation.', m.lag.maxSeconds, since),
    gauge('lag_threshold_seconds', 'Lags above this many seconds are counted as slow.', m.thresholdSeconds),
    gauge('lag_over_threshold', 'Rooms of the window created more than the threshold after activation (or lesson end).', m.lag.overThreshold, since),
    gauge('missing_pairs', 'Teacher-student pairs with an active booking and no chat room.', m.missingPairs),
    gauge('missing_bookings', 'Active bookings whose teacher-student pair has no chat room.', m.missingBookings),
    gauge('metrics_generated_timestamp_seconds', 'When bookops chats metrics collected these values (Unix time).', Math.floor(Date.parse(m.collectedAt) / 1000)),
  ];
}
