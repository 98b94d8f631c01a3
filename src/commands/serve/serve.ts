/**
 * bookops serve: a long-running Prometheus exporter over the configured targets (src/fleet/exporter.ts).
 * Runs until SIGTERM or SIGINT, then stops listening, abandons a collection in flight (its
 * connections closed, its transactions rolled back by the server) and exits 0.
 */
import { auditSettings } from '../../audit/report.js';
import { command, option } from '../../cli/define.js';
import { migrationsDirOption } from '../../cli/options.js';
import { duration } from '../../cli/parsers.js';
import { formatDuration } from '../../config/duration.js';
import { selectTargets } from '../../config/targets.js';
import { UsageError } from '../../errors.js';
import { Collections, listen, parseListen } from '../../fleet/exporter.js';

export interface ServeResult {
  listened: string;
  targets: string[];
  collections: number;
  stoppedBy: string;
}

export default command({
  name: 'serve',
  inputs: {
    listen: option('--listen <host:port>', 'address of /metrics and /healthz', undefined, '127.0.0.1:9188'),
    minInterval: option('--min-interval <duration>', 'collect at most this often; scrapes in between get the last collection', duration, 60_000, '60s'),
    scrapeTimeout: option('--scrape-timeout <duration>', 'give up on one target of a collection after this long (bookops_up 0)', duration, 30_000, '30s'),
    migrationsDir: migrationsDirOption('migrations folder for the schema checks (default: the one shipped with bookops)'),
  },
  examples: [
    'bookops serve',
    'bookops --config /etc/bookops/bookops.json serve --listen 127.0.0.1:9188 --min-interval 5m',
    'bookops --target lessons-prod --target whatsapp-prod serve',
  ],
  notes:
    'Serves every target of the config file (or those named with --target; else --db or the default target). ' +
    'Per target: bookops_up, bookops_audit_* and, where the lessons tables are, bookops_chat_*. ' +
    'Sessions are read only, application_name=bookops-serve. Exit codes: 0 stopped by SIGTERM/SIGINT, 2 usage (bad --listen, address in use), 3 the one --db target cannot be resolved.',
  run: async (ctx, o): Promise<ServeResult> => {
    const where = parseListen(o.listen);
    if (!where) throw new UsageError(`--listen ${o.listen}: expected host:port, e.g. 127.0.0.1:9188`);
    const config = await ctx.config();
    const named = await ctx.namedTargets();
    const targets =
      named ?? (config.targets.length && ctx.flags.db === undefined
        ? selectTargets(config, { allTargets: true }, ctx.env)
        : [{ name: (await ctx.target()).label, target: await ctx.target() }]);
    // A typo in a target's audit settings is a usage error now, not a failed collection on every scrape.
    for (const target of targets) auditSettings(config, target, {});
    const collections = new Collections(ctx, targets, {
      minIntervalMs: o.minInterval,
      timeoutMs: o.scrapeTimeout,
      parallel: ctx.flags.parallel,
      migrationsDir: o.migrationsDir,
    });
    const stopped = new Promise<NodeJS.Signals>((resolve) => (ctx.onStop = resolve));
    const http = await listen(collections, where).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`cannot listen on ${o.listen}: ${err.code ?? err.message}`);
    });
    ctx.out.info(
      `bookops serve: http://${http.address}/metrics over ${targets.length} target(s) (${targets.map((t) => t.name).join(', ')}), ` +
        `at most one collection per ${formatDuration(o.minInterval)}`,
    );
    const signal = await stopped;
    ctx.out.info(`bookops serve: ${signal}, stopping`);
    collections.stopped.abort();
    http.server.close();
    http.server.closeAllConnections();
    await collections.settle();
    return { listened: http.address, targets: targets.map((t) => t.name), collections: collections.count, stoppedBy: signal };
  },
  render: (r, out) => out.info(`stopped after ${r.collections} collection(s)`),
  // It only reads (its sessions are read only): it may serve a hot standby.
  readOnly: true,
});
