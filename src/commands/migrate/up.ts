import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { findMigration } from '../../migrate/migration-file.js';
import { migrateUp, type MigrationRun } from '../../migrate/runner.js';
import { pendingUpTo, readApplied } from '../../migrate/state.js';
import { runnerDeps, type RunnerOptions } from './deps.js';
import * as plan from './plan.js';

export interface UpOptions extends RunnerOptions {
  to?: string;
  allowChanged?: boolean;
}

export type UpResult =
  | { dryRun: true; plan: plan.PlanResult }
  | { dryRun: false; target: string; applied: MigrationRun[]; to?: string; pendingAfter: number };

export async function run(ctx: Context, opts: UpOptions): Promise<UpResult> {
  if (ctx.flags.dryRun) return { dryRun: true, plan: await plan.run(ctx, opts) };
  const deps = await runnerDeps(ctx, opts);
  const applied = await migrateUp(deps, { to: opts.to, allowChanged: opts.allowChanged });
  // With --to, later migrations may still be pending: "up to date" would be untrue.
  const pendingAfter = opts.to ? pendingUpTo(deps.migrations, await readApplied(deps.db)).length : 0;
  const to = opts.to ? findMigration(deps.migrations, opts.to).name : undefined;
  return { dryRun: false, target: deps.target.label, applied, ...(to ? { to } : {}), pendingAfter };
}

export function render(r: UpResult, out: Output): void {
  if (r.dryRun) return plan.render(r.plan, out);
  const later = r.pendingAfter ? ` (${r.pendingAfter} later migration(s) pending)` : '';
  if (r.applied.length === 0) {
    return out.print(r.to ? `nothing to apply on ${r.target} up to ${r.to}: it is applied${later}` : `nothing to apply on ${r.target}: up to date`);
  }
  for (const m of r.applied) {
    out.print(m.skipped ? `${out.c.dim('skipped')} ${m.name}: ${m.skipped} (recorded; up applies it once the tables exist)` : `${out.c.green('applied')} ${m.name} (${m.ms} ms)`);
  }
  const skipped = r.applied.filter((m) => m.skipped).length;
  out.print(`${r.applied.length - skipped} migration(s) applied${skipped ? `, ${skipped} skipped` : ''} on ${r.target}${later}`);
}
