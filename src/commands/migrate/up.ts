import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { migrateUp, type MigrationRun } from '../../migrate/runner.js';
import { runnerDeps, type RunnerOptions } from './deps.js';
import * as plan from './plan.js';

export interface UpOptions extends RunnerOptions {
  to?: string;
  allowChanged?: boolean;
}

export type UpResult = { dryRun: true; plan: plan.PlanResult } | { dryRun: false; target: string; applied: MigrationRun[] };

export async function run(ctx: Context, opts: UpOptions): Promise<UpResult> {
  if (ctx.flags.dryRun) return { dryRun: true, plan: await plan.run(ctx, opts) };
  const deps = await runnerDeps(ctx, opts);
  const applied = await migrateUp(deps, { to: opts.to, allowChanged: opts.allowChanged });
  return { dryRun: false, target: deps.target.label, applied };
}

export function render(r: UpResult, out: Output): void {
  if (r.dryRun) return plan.render(r.plan, out);
  if (r.applied.length === 0) return out.print(`nothing to apply on ${r.target}: up to date`);
  for (const m of r.applied) out.print(`${out.c.green('applied')} ${m.name} (${m.ms} ms)`);
  out.print(`${r.applied.length} migration(s) applied on ${r.target}`);
}
