import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { NotFoundError } from '../../errors.js';
import { clusterStatus, readState } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';

export interface UrlOptions {
  database: string;
}

export interface UrlResult {
  url: string;
  running: boolean;
}

/**
 * The URL names the cluster's 0600 password file instead of carrying the password, so it can
 * be printed, logged and pasted: psql and bookops both read `passfile`.
 */
export async function run(_ctx: Context, opts: UrlOptions): Promise<UrlResult> {
  const paths = clusterPaths();
  const state = await readState(paths);
  if (!state) throw new NotFoundError('the embedded cluster is not initialised', { hint: 'run bookops db start' });
  const status = await clusterStatus(paths);
  const url =
    `postgresql://${encodeURIComponent(state.user)}@127.0.0.1:${status.port ?? state.port}/` +
    `${encodeURIComponent(opts.database)}?passfile=${encodeURIComponent(paths.pgpass)}`;
  return { url, running: status.running };
}

export function render(r: UrlResult, out: Output): void {
  out.print(r.url);
  if (!r.running) out.warn('the embedded cluster is not running (start it with: bookops db start)');
}
