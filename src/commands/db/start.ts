import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { clusterStatus, startCluster } from '../../embedded/cluster.js';
import { clusterPaths } from '../../embedded/paths.js';
import { makeTarget } from '../../config/target.js';
import { ensureDatabase } from '../../embedded/target.js';

export interface StartOptions {
  timeout: number;
}

export interface StartResult {
  dryRun?: boolean;
  running?: boolean;
  started: boolean;
  initialised: boolean;
  target: string;
  port: number;
  home: string;
}

export async function run(ctx: Context, opts: StartOptions): Promise<StartResult> {
  const paths = clusterPaths();
  if (ctx.flags.dryRun) {
    const status = await clusterStatus(paths);
    return { dryRun: true, running: status.running, started: false, initialised: false, target: '', port: status.port ?? 0, home: paths.home };
  }
  const { state, started, initialised } = await startCluster({ paths, timeoutMs: opts.timeout });
  const target = makeTarget('embedded', { host: '127.0.0.1', ...state });
  await ensureDatabase(state, target);
  return {
    started,
    initialised,
    target: target.label,
    port: state.port,
    home: paths.home,
  };
}

export function render(r: StartResult, out: Output): void {
  if (r.dryRun) {
    out.print(r.running ? 'dry run: the embedded cluster is already running; nothing to do' : `dry run: would start the embedded cluster in ${r.home}; nothing changed`);
    return;
  }
  if (r.initialised) out.info(`initialised a new cluster in ${r.home}`);
  out.print(r.started ? `started embedded PostgreSQL: ${r.target}` : `already running: ${r.target}`);
}
