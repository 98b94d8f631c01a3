/**
 * bookops db url: the connection URL of the embedded cluster. It names the cluster's 0600
 * password file instead of carrying the password, so it can be printed, logged and pasted:
 * psql and bookops both read `passfile`.
 */
import { command, option } from '../../cli/define.js';
import { databaseName } from '../../cli/parsers.js';
import { clusterStatus, readState } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';
import { NotFoundError } from '../../errors.js';
import { asInvoked } from '../../invocation.js';

export interface UrlResult {
  url: string;
  running: boolean;
}

export default command({
  name: 'url',
  embeddedOnly: true,
  description: 'print the connection URL of the embedded cluster (the password stays in a 0600 passfile)',
  inputs: {
    database: option('--database <name>', 'database name in the URL', databaseName, 'bookops'),
  },
  examples: ['bookops db url', 'psql "$(bookops db url)"', 'bookops --db "$(bookops db url)" audit'],
  run: async (_ctx, o): Promise<UrlResult> => {
    const paths = clusterPaths();
    const state = await readState(paths);
    if (!state) throw new NotFoundError('the embedded cluster is not initialised', { hint: `run ${asInvoked('db start')}` });
    const status = await clusterStatus(paths);
    const url =
      `postgresql://${encodeURIComponent(state.user)}@127.0.0.1:${status.port ?? state.port}/` +
      `${encodeURIComponent(o.database)}?passfile=${encodeURIComponent(paths.pgpass)}`;
    return { url, running: status.running };
  },
  render: (r, out) => {
    out.print(r.url);
    if (!r.running) out.warn(`the embedded cluster is not running (start it with: ${asInvoked('db start')})`);
  },
});
