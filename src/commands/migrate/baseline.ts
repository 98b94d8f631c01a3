import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { migrateBaseline } from '../../migrate/runner.js';
import { runnerDeps, type RunnerOptions } from './deps.js';

export interface BaselineResult {
  target: string;
  /** The baseline recorded as applied (with --dry-run: the one that would be). */
  recorded: string;
  modules: string[];
  dryRun: boolean;
}

export async function run(ctx: Context, opts: RunnerOptions): Promise<BaselineResult> {
  const deps = await runnerDeps(ctx, opts);
  // --dry-run makes every check a real run makes (refusals included) and records nothing.
  const { name, modules } = await migrateBaseline(deps, { dryRun: ctx.flags.dryRun });
  return { target: deps.target.label, recorded: name, modules, dryRun: ctx.flags.dryRun };
}

export function render(r: BaselineResult, out: Output): void {
  if (r.dryRun) {
    out.print(`would record ${r.recorded} as applied on ${r.target} (modules present: ${r.modules.join(', ') || 'none complete'}); --dry-run changed nothing`);
    return;
  }
  out.print(`recorded ${r.recorded} as applied on ${r.target} (modules present: ${r.modules.join(', ') || 'none complete'})`);
  out.print('next: bookops migrate plan');
}
