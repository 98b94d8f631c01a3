import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { presentModules } from '../../domain/modules.js';
import { migrateBaseline } from '../../migrate/runner.js';
import { runnerDeps, type RunnerOptions } from './deps.js';

export interface BaselineResult {
  target: string;
  recorded: string;
  modules: string[];
}

export async function run(ctx: Context, opts: RunnerOptions): Promise<BaselineResult> {
  const deps = await runnerDeps(ctx, opts);
  const { name, modules } = await migrateBaseline(deps, presentModules);
  return { target: deps.target.label, recorded: name, modules };
}

export function render(r: BaselineResult, out: Output): void {
  out.print(`recorded ${r.recorded} as applied on ${r.target} (modules present: ${r.modules.join(', ')})`);
  out.print('next: bookops migrate plan');
}
