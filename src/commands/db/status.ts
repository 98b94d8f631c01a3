import type { Output } from '../../cli/output.js';
import { clusterStatus, readState, type ClusterStatus } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';
import { describeTarget } from '../../config/redact.js';

export interface StatusResult extends ClusterStatus {
  target?: string;
}

export async function run(): Promise<StatusResult> {
  const paths = clusterPaths();
  const status = await clusterStatus(paths);
  const state = await readState(paths);
  const target = state
    ? describeTarget({ user: state.user, host: '127.0.0.1', port: status.port, database: state.database })
    : undefined;
  return { ...status, target };
}

export function render(r: StatusResult, out: Output): void {
  const state = !r.initialised ? 'not initialised' : r.running ? out.c.green('running') : out.c.yellow('stopped');
  out.print(
    out.table(
      ['cluster', 'value'],
      [
        ['state', state],
        ['target', r.target ?? '-'],
        ['PostgreSQL', r.version ?? '-'],
        ['pid', r.pid ?? '-'],
        ['data', r.dataDir],
      ],
    ),
  );
}
