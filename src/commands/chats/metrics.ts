import { resolve } from 'node:path';
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { formatDuration } from '../../config/duration.js';
import { RefusedError, UsageError } from '../../errors.js';
import { absentTables } from '../../audit/chats/health.js';
import { chatMetricsForPrometheus, collectChatMetrics, METRICS_TABLES, type ChatMetrics, type LagSince } from '../../audit/chats/metrics.js';
import { exposition, textfileProblem, writeFileAtomic } from '../../audit/prometheus.js';

export interface MetricsOptions {
  since?: LagSince;
  window?: number;
  lagThreshold?: number;
  prometheus?: string;
  format?: 'table' | 'prometheus';
}

export interface MetricsResult extends ChatMetrics {
  target: string;
  /** The textfile written with --prometheus <file>. */
  written?: string;
  /** --format prometheus: the exposition text printed on stdout. */
  exposition?: string;
}

export const DEFAULTS = { windowMs: 7 * 86_400_000, thresholdMs: 3_600_000 };

export async function run(ctx: Context, opts: MetricsOptions): Promise<MetricsResult> {
  if (opts.format === 'prometheus' && ctx.flags.json) throw new UsageError('--format prometheus and --json exclude each other');
  const file = opts.prometheus ? resolve(opts.prometheus) : undefined;
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
  const metrics = await collectChatMetrics(db, {
    since: opts.since ?? 'activation',
    windowMs: opts.window ?? DEFAULTS.windowMs,
    thresholdMs: opts.lagThreshold ?? DEFAULTS.thresholdMs,
  });
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
  if (opts.format === 'prometheus') result.exposition = text;
  return result;
}

export function render(r: MetricsResult, out: Output): void {
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
}
