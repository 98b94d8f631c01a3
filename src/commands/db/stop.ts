/** bookops db stop: a fast shutdown of the embedded cluster (open transactions roll back). */
import { command, option } from '../../cli/define.js';
import { duration } from '../../cli/parsers.js';
import { clusterStatus, stopCluster } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';

export interface StopResult {
  stopped: boolean;
  dryRun?: boolean;
  running?: boolean;
}

export default command({
  name: 'stop',
  embeddedOnly: true,
  description: 'stop the embedded cluster (fast shutdown: open transactions roll back)',
  inputs: {
    timeout: option('--timeout <duration>', 'give up when the server has not stopped within this long', duration, 60_000, '60s'),
  },
  examples: ['bookops db stop'],
  run: async (ctx, o): Promise<StopResult> => {
    if (ctx.flags.dryRun) return { stopped: false, dryRun: true, running: (await clusterStatus(clusterPaths())).running };
    return stopCluster({ timeoutMs: o.timeout });
  },
  render: (r, out) => {
    if (r.dryRun) out.print(r.running ? 'dry run: would stop the embedded cluster; nothing changed' : 'dry run: the embedded cluster is not running; nothing to do');
    else out.print(r.stopped ? 'stopped the embedded cluster' : 'the embedded cluster was not running');
  },
});
