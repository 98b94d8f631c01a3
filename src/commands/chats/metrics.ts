/**
 * bookops chats metrics: rooms created today and the room-creation lag (src/chats/metrics.ts),
 * for people, as JSON, or as Prometheus series (src/io/metrics.ts, every series labelled with its
 * target): on stdout (--format prometheus) or written atomically to a node_exporter textfile
 * (--prometheus <file>), by the report (src/fleet/report.ts), over one target or several.
 */
import { command, option } from '../../cli/define.js';
import { formatOption, prometheusFileOption } from '../../cli/options.js';
import { choice, duration, positiveDuration } from '../../cli/parsers.js';
import { absentTables } from '../../chats/health.js';
import { collectChatMetrics, METRICS_TABLES, type ChatMetrics } from '../../chats/metrics.js';
import { formatDuration } from '../../config/duration.js';
import { AbsentTablesError } from '../../errors.js';
import { chatMetrics } from '../../io/metrics.js';

export interface MetricsResult extends ChatMetrics {
  target: string;
  /** The textfile written with --prometheus <file> (added by the report, src/fleet/report.ts). */
  written?: string;
}

export default command({
  name: 'metrics',
  readOnly: true,
  description: 'rooms created today and the lag from booking activation (or lesson end) to room creation',
  inputs: {
    since: option('--since <event>', 'measure the lag from', choice('activation', 'lesson-end'), 'activation'),
    window: option('--window <duration>', 'measure rooms created within this window (longer than 0)', positiveDuration, 7 * 86_400_000, '7d'),
    lagThreshold: option('--lag-threshold <duration>', 'count rooms created later than this', duration, 3_600_000, '1h'),
    prometheus: prometheusFileOption(),
    format: formatOption('prometheus'),
  },
  examples: [
    'bookops chats metrics',
    'bookops chats metrics --since lesson-end --json',
    'bookops chats metrics --format prometheus',
    'bookops chats metrics --quiet --prometheus /var/lib/node_exporter/textfile/bookops_chat.prom',
  ],
  notes: 'Exit codes: 0 collected (and written), 2 usage or the --prometheus file cannot be written, 7 a table it reads is absent.',
  run: async (ctx, o): Promise<MetricsResult> => {
    const [db, target] = await Promise.all([ctx.db(), ctx.targetName()]);
    const absent = await absentTables(db, METRICS_TABLES);
    if (absent.length) {
      // Nothing to measure: refused with its reason (not a failed statement); a textfile is left as it was.
      throw new AbsentTablesError(`no chat metrics on ${target}: no table ${absent.join(', ')} (chats metrics reads ${METRICS_TABLES.join(', ')})`, absent);
    }
    const metrics = await collectChatMetrics(db, { since: o.since, windowMs: o.window, thresholdMs: o.lagThreshold });
    return { target, ...metrics };
  },
  metrics: (r) => chatMetrics(r),
  summary: (r) => `${r.roomsCreatedToday} room(s) today, ${r.missingPairs} pair(s) missing a room`,
  render: (r, out) => {
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
