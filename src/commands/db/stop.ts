import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { stopCluster } from '../../embedded/cluster.js';

export interface StopOptions {
  timeout: number;
}

export async function run(_ctx: Context, opts: StopOptions): Promise<{ stopped: boolean }> {
  return stopCluster({ timeoutMs: opts.timeout });
}

export function render(r: { stopped: boolean }, out: Output): void {
  out.print(r.stopped ? 'stopped the embedded cluster' : 'the embedded cluster was not running');
}
