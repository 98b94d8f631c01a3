/**
 * `bookops serve`: a Prometheus exporter over the configured targets, like postgres_exporter.
 * `/metrics` collects on scrape, but never more often than `minIntervalMs` (the text of the last
 * run is served in between), and concurrent scrapes share the one run in progress. Each target is
 * bounded by its timeout and reports bookops_up 0 when it fails. The sessions only read: READ
 * ONLY by default (default_transaction_read_only) on top of the READ ONLY transactions of the
 * audit and the chat metrics, under application_name=bookops-serve.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditReport, auditSettings } from '../audit/report.js';
import { absentTables } from '../chats/health.js';
import { collectChatMetrics, METRICS_TABLES } from '../chats/metrics.js';
import type { NamedTarget } from '../config/targets.js';
import type { Context } from '../io/context.js';
import { auditMetrics, chatMetrics, upMetric } from '../io/metrics.js';
import { exposition, mergeByTarget, type Metric } from '../io/prometheus.js';
import { migrationsDir } from '../paths.js';
import { answered, runOverTargets, type TargetRun } from './run.js';

export const SERVE_APPLICATION_NAME = 'bookops-serve';

export interface ExporterOptions {
  minIntervalMs: number;
  timeoutMs: number;
  parallel: number;
  migrationsDir?: string;
}

/** One target's families: its audit, and its chat metrics where the lessons tables are. */
async function collectTarget(ctx: Context, opts: ExporterOptions): Promise<Metric[]> {
  const settings = auditSettings(await ctx.config(), ctx.named, {});
  const db = await ctx.db();
  // A collection given up (its timeout, the exporter stopping) starts nothing more.
  const stopHere = () => ctx.checkInterrupted('no further check was started');
  const report = await auditReport(db, await ctx.targetName(), settings, { migrationsDir: migrationsDir(opts.migrationsDir), onCheck: stopHere });
  const families = auditMetrics(report);
  stopHere();
  if ((await absentTables(db, METRICS_TABLES)).length === 0) {
    families.push(...chatMetrics(await collectChatMetrics(db, { since: 'activation', windowMs: 7 * 86_400_000, thresholdMs: 3_600_000 })));
  }
  return families;
}

/** Collections at most once per interval, shared by the scrapes that arrive while one runs. */
export class Collections {
  private last?: { at: number; text: string; runs: Array<TargetRun<Metric[]>> };
  private running?: Promise<string>;
  readonly stopped = new AbortController();
  /** How many collections ran (not scrapes): /healthz says it. */
  count = 0;

  constructor(
    private readonly ctx: Context,
    private readonly targets: NamedTarget[],
    private readonly opts: ExporterOptions,
  ) {}

  scrape(): Promise<string> {
    if (this.last && Date.now() - this.last.at < this.opts.minIntervalMs) return Promise.resolve(this.last.text);
    this.running ??= this.collect().finally(() => (this.running = undefined));
    return this.running;
  }

  private async collect(): Promise<string> {
    const runs = await runOverTargets(this.ctx, this.targets, {
      parallel: this.opts.parallel,
      timeoutMs: this.opts.timeoutMs,
      session: { applicationName: SERVE_APPLICATION_NAME, readOnly: true },
      signal: this.stopped.signal,
      run: (child) => collectTarget(child, this.opts),
      exitCode: () => 0,
    });
    for (const run of runs.filter((r) => r.error)) this.ctx.out.warn(`${run.target}: ${run.error!.message}`);
    this.count++;
    const collection = (run: TargetRun<Metric[]>): Metric[] => [
      upMetric(answered(run)),
      { name: 'bookops_collect_duration_seconds', help: 'How long the last collection of the target took.', type: 'gauge', samples: [{ value: run.seconds }] },
      { name: 'bookops_collections_total', help: 'Collections this exporter has run (scrapes in between share or reuse one).', type: 'counter', samples: [{ value: this.count }] },
      ...(run.result ?? []),
    ];
    const text = exposition(mergeByTarget(runs.map((run) => ({ target: run.target, metrics: collection(run) }))));
    this.last = { at: Date.now(), text, runs };
    return text;
  }

  /** In flight, if any: awaited at shutdown after the abort. */
  settle(): Promise<unknown> {
    return this.running?.catch(() => undefined) ?? Promise.resolve();
  }
}

export interface Listening {
  server: Server;
  address: string;
}

/** host:port, a loopback or any address the operator names; port 0 picks a free one. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+)):(\d{1,5})$/i.exec(text.trim());
  if (!m) return undefined;
  const port = Number(m[3]);
  return port > 65535 ? undefined : { host: m[1] ?? m[2], port };
}

export async function listen(collections: Collections, where: { host: string; port: number }): Promise<Listening> {
  const server = createServer((req, res) => void answer(collections, req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  return { server, address: a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}` };
}

async function answer(collections: Collections, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'only GET\n');
  if (path === '/healthz') return send(res, collections.stopped.signal.aborted ? 503 : 200, collections.stopped.signal.aborted ? 'stopping\n' : 'ok\n');
  if (path === '/metrics') {
    try {
      return send(res, 200, await collections.scrape(), 'text/plain; version=0.0.4; charset=utf-8');
    } catch (err) {
      return send(res, 500, `collection failed: ${(err as Error).message}\n`);
    }
  }
  if (path === '/') return send(res, 200, 'bookops exporter: /metrics, /healthz\n');
  return send(res, 404, 'not found: /metrics, /healthz\n');
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
