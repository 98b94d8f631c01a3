/**
 * bookops chats metrics: rooms created today and the room-creation lag (src/chats/metrics.ts),
 * for people, as JSON, or as Prometheus series: on stdout (--format prometheus) or written
 * atomically to a node_exporter textfile (--prometheus <file>).
 */
import { resolve } from 'node:path';
import { command, option } from '../../cli/define.js';
import { choice, duration } from '../../cli/parsers.js';
import { absentTables } from '../../chats/health.js';
import { collectChatMetrics, METRICS_TABLES, type ChatMetrics } from '../../chats/metrics.js';
import { formatDuration } from '../../config/duration.js';
import { RefusedError, UsageError } from '../../errors.js';
import { exposition, textfileProblem, writeFileAtomic, type Metric } from '../../io/prometheus.js';

export interface MetricsResult extends ChatMetrics {
  target: string;
  /** The textfile written with --prometheus <file>. */
  written?: string;
  /** --format prometheus: the exposition text printed on stdout. */
  exposition?: string;
}

/** The metrics as bookops_chat_* gauges; the lag ones labelled with what the lag is measured from. */
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

export default command({
  name: 'metrics',
  readOnly: true,
  description: 'rooms created today and the lag from booking activation (or lesson end) to room creation',
  inputs: {
    since: option('--since <event>', 'measure the lag from', choice('activation', 'lesson-end'), 'activation'),
    window: option('--window <duration>', 'measure rooms created within this window', duration, 7 * 86_400_000, '7d'),
    lagThreshold: option('--lag-threshold <duration>', 'count rooms created later than this', duration, 3_600_000, '1h'),
    prometheus: option('--prometheus <file>', 'write the metrics atomically to this .prom file (node_exporter textfile collector)'),
    format: option('--format <format>', 'stdout format', choice('table', 'prometheus'), 'table'),
  },
  examples: [
    'bookops chats metrics',
    'bookops chats metrics --since lesson-end --json',
    'bookops chats metrics --format prometheus',
    'bookops chats metrics --quiet --prometheus /var/lib/node_exporter/textfile/bookops_chat.prom',
  ],
  notes: 'Exit codes: 0 collected (and written), 2 usage or the --prometheus file cannot be written, 4 a table it reads is absent.',
  run: async (ctx, o): Promise<MetricsResult> => {
    if (o.format === 'prometheus' && ctx.flags.json) throw new UsageError('--format prometheus and --json exclude each other');
    const file = o.prometheus ? resolve(o.prometheus) : undefined;
    const problem = file && (await textfileProblem(file));
    if (problem) throw new UsageError(`cannot write ${file}: ${problem}`, { hint: 'the directory must exist and be writable by this user' });
    const [db, target] = await Promise.all([ctx.db(), ctx.target()]);
    const absent = await absentTables(db, METRICS_TABLES);
    if (absent.length) {
      // Nothing to measure: refused with its reason (not a failed statement); a textfile is left as it was.
      throw new RefusedError(`no chat metrics on ${target.label}: no table ${absent.join(', ')} (chats metrics reads ${METRICS_TABLES.join(', ')})`, {
        details: { absentTables: absent },
      });
    }
    const metrics = await collectChatMetrics(db, { since: o.since, windowMs: o.window, thresholdMs: o.lagThreshold });
    const text = exposition(chatMetricsForPrometheus(metrics));
    const result: MetricsResult = { target: target.label, ...metrics };
    if (file) {
      try {
        await writeFileAtomic(file, text);
      } catch (err) {
        // The old file, if any, is left as it was: node_exporter keeps serving it (and its mtime shows its age).
        throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
          hint: 'the directory must exist and be writable by this user',
        });
      }
      result.written = file;
    }
    if (o.format === 'prometheus') result.exposition = text;
    return result;
  },
  render: (r, out) => {
    if (r.exposition !== undefined) {
      out.stdout.write(r.exposition);
      return;
    }
    // Written for node_exporter (cron): one line on stderr, none with --quiet; the values are in the file.
    if (r.written) {
      out.info(`wrote ${r.written}`);
      return;
    }
    const secs = (s: number | null) => (s === null ? '-' : formatDuration(s * 1000));
    out.print(`chat metrics on ${r.target} (lag since ${r.since}, rooms of the last ${formatDuration(r.windowSeconds * 1000)})`);
    out.print(
      out.table(
        ['metric', 'value'],
        [
          ['rooms created today', r.roomsCreatedToday],
          ['rooms (not deleted)', r.roomsTotal],
          ['rooms in the window', r.roomsInWindow],
          ['lag measured on', `${r.lag.samples} room(s)`],
          ['average lag', secs(r.lag.avgSeconds)],
          ['max lag', secs(r.lag.maxSeconds)],
          [`lag over ${formatDuration(r.thresholdSeconds * 1000)}`, r.lag.overThreshold],
          ['pairs missing a room', r.missingPairs],
          ['bookings behind them', r.missingBookings],
        ],
      ),
    );
  },
});
