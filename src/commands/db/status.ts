/** bookops db status: whether the embedded cluster is initialised and running; needs no connection. */
import { command } from '../../cli/define.js';
import { EXIT } from '../../exit-codes.js';
import { describeTarget } from '../../config/redact.js';
import { clusterStatus, readState, type ClusterStatus } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';

export interface StatusResult extends ClusterStatus {
  target?: string;
}

export default command({
  name: 'status',
  embeddedOnly: true,
  description: 'whether the embedded cluster is initialised and running, its port and version',
  inputs: {},
  examples: ['bookops db status', 'bookops db status --json', 'bookops db status --quiet || bookops db start'],
  notes: 'Exit codes: 0 running, 3 not running or not initialised (as pg_ctl status); the state is printed either way.',
  run: async (): Promise<StatusResult> => {
    const paths = clusterPaths();
    const status = await clusterStatus(paths);
    const state = await readState(paths);
    const target = state ? describeTarget({ user: state.user, host: '127.0.0.1', port: status.port, database: state.database }) : undefined;
    return { ...status, target };
  },
  // As `pg_ctl status`: a script can ask `db status || db start`.
  exitCode: (r) => (r.running ? EXIT.OK : EXIT.CONNECTION),
  render: (r, out) => {
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
  },
});
