import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { clusterStatus, stopCluster } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';

export interface StopOptions {
  timeout: number;
}

export interface StopResult {
  stopped: boolean;
  dryRun?: boolean;
  running?: boolean;
}

export async function run(ctx: Context, opts: StopOptions): Promise<StopResult> {
  if (ctx.flags.dryRun) return { stopped: false, dryRun: true, running: (await clusterStatus(clusterPaths())).running };
  return stopCluster({ timeoutMs: opts.timeout });
}

export function render(r: StopResult, out: Output): void {
  if (r.dryRun) out.print(r.running ? 'dry run: would stop the embedded cluster; nothing changed' : 'dry run: the embedded cluster is not running; nothing to do');
  else out.print(r.stopped ? 'stopped the embedded cluster' : 'the embedded cluster was not running');
}
