import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { BASELINE_FIRST } from '../../migrate/baseline-needed.js';
import { planToSql, planUp, type Plan } from '../../migrate/plan.js';
import { loadFiles, type RunnerOptions } from './deps.js';

export interface PlanOptions extends RunnerOptions {
  to?: string;
}

export interface PlanResult extends Plan {
  target: string;
  sql: string;
}

export async function run(ctx: Context, opts: PlanOptions): Promise<PlanResult> {
  const [files, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  const plan = await planUp(db, files, opts.to);
  return { target: target.label, ...plan, sql: planToSql(plan, ctx.session, target.label) };
}

export function render(r: PlanResult, out: Output): void {
  out.stdout.write(r.sql);
  const refused = r.migrations.filter((m) => m.preflight?.violations);
  for (const m of refused) out.warn(`${m.name}: preflight finds ${m.preflight!.violations} row(s); migrate up will refuse`);
  if (r.baselineNeeded) out.warn(`the platform tables exist but no baseline is recorded: migrate up will refuse; ${BASELINE_FIRST}`);
}
