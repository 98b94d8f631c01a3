/** bookops db start: initialise (the first time) and start the embedded cluster, then make sure its database exists. */
import { command, option } from '../../cli/define.js';
import { duration } from '../../cli/parsers.js';
import { makeTarget } from '../../config/target.js';
import { clusterStatus, startCluster } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';
import { ensureDatabase } from '../../embedded/target.js';

export interface StartResult {
  dryRun?: boolean;
  running?: boolean;
  started: boolean;
  initialised: boolean;
  target: string;
  port: number;
  home: string;
}

export default command({
  name: 'start',
  embeddedOnly: true,
  description: 'initialise (first time) and start the embedded cluster on a free loopback port',
  inputs: {
    timeout: option('--timeout <duration>', 'give up when the server is not ready within this long', duration, 60_000, '60s'),
  },
  examples: ['bookops db start', 'bookops db start --timeout 2min'],
  run: async (ctx, o): Promise<StartResult> => {
    const paths = clusterPaths();
    if (ctx.flags.dryRun) {
      const status = await clusterStatus(paths);
      return { dryRun: true, running: status.running, started: false, initialised: false, target: '', port: status.port ?? 0, home: paths.home };
    }
    const { state, started, initialised } = await startCluster({ paths, timeoutMs: o.timeout });
    const target = makeTarget('embedded', { host: '127.0.0.1', ...state });
    await ensureDatabase(state, target);
    return { started, initialised, target: target.label, port: state.port, home: paths.home };
  },
  render: (r, out) => {
    if (r.dryRun) {
      out.print(r.running ? 'dry run: the embedded cluster is already running; nothing to do' : `dry run: would start the embedded cluster in ${r.home}; nothing changed`);
      return;
    }
    if (r.initialised) out.info(`initialised a new cluster in ${r.home}`);
    out.print(r.started ? `started embedded PostgreSQL: ${r.target}` : `already running: ${r.target}`);
  },
});
