/**
 * `chats metrics`: rooms created today, the lag between a booking's activation (or its lesson's
 * end) and its room's creation, and the pairs still missing a room, as plain data (the command
 * exposes them to Prometheus as bookops_chat_*). One READ ONLY snapshot.
 */
import type { Knex } from 'knex';
import * as lessons from '../data/lessons.repository.js';

export type LagSince = 'activation' | 'lesson-end';

/** The tables the metrics and the missing-rooms rule read: all the metrics need (not users or messages). */
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

const round3 = (n: number | null) => (n === null ? null : Math.round(Number(n) * 1000) / 1000);

export async function collectChatMetrics(db: Knex, opts: ChatMetricsOptions): Promise<ChatMetrics> {
  const trx = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    const row = await lessons.chatMetrics(trx, { since: opts.since, windowMs: opts.windowMs, thresholdMs: opts.thresholdMs });
    const missing = await lessons.missingRooms(trx, 0);
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
