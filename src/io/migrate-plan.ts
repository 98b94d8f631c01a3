/**
 * The up plan of `migrate plan`, and of `migrate up --dry-run` (which prints the same plan): the
 * exact SQL up would run against this database, with the warnings of what would make up refuse.
 * Here, not in either command, so neither command imports the other.
 */
import { BASELINE_FIRST } from '../migrate/baseline-needed.js';
import { planToSql, planUp, type Plan } from '../migrate/plan.js';
import type { Context } from './context.js';
import type { Output } from './output.js';
import { loadFiles, type RunnerOptions } from './runner-deps.js';

export interface PlanResult extends Plan {
  target: string;
  sql: string;
}

export async function upPlan(ctx: Context, opts: RunnerOptions & { to?: string }): Promise<PlanResult> {
  const [files, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  const plan = await planUp(db, files, opts.to);
  return { target: target.label, ...plan, sql: planToSql(plan, ctx.session, target.label) };
}

export function renderPlan(r: PlanResult, out: Output): void {
  out.stdout.write(r.sql);
  const refused = r.migrations.filter((m) => m.preflight?.violations);
  for (const m of refused) out.warn(`${m.name}: preflight finds ${m.preflight!.violations} row(s); migrate up will refuse`);
  if (r.baselineNeeded) out.warn(`the platform tables exist but no baseline is recorded: migrate up will refuse; ${BASELINE_FIRST}`);
  if (r.citusRefusal) out.warn(`${r.citusRefusal}: migrate up will refuse (docs/SCALE-OUT.md)`);
}

/** One line for the summary table of a run over several targets. */
export function planSummary(r: PlanResult): string {
  const refused = r.migrations.filter((m) => m.preflight?.violations).length;
  return `${r.migrations.length} migration(s) to run${refused ? `, ${refused} would be refused by its preflight` : ''}${r.baselineNeeded ? ', baseline needed first' : ''}`;
}
