/**
 * The up plan of `migrate plan`, and of `migrate up --dry-run` (which prints the same plan): the
 * exact SQL up would run against this database, with the warnings of what would make up refuse.
 * Here, not in either command, so neither command imports the other.
 */
import { settingsModeOf } from '../data/connect.js';
import { planToSql, planUp, type Plan } from '../migrate/plan.js';
import { upRefusals, type UpRefusal } from '../migrate/up-refusals.js';
import type { Context } from './context.js';
import type { Output } from './output.js';
import { loadFiles, type RunnerOptions } from './runner-deps.js';

export interface PlanResult extends Plan {
  target: string;
  sql: string;
  /** Why `migrate up` (with the same --allow-changed) would refuse now; empty when it would run. */
  wouldRefuse: UpRefusal[];
}

export async function upPlan(ctx: Context, opts: RunnerOptions & { to?: string; allowChanged?: boolean }): Promise<PlanResult> {
  const [files, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  const plan = await planUp(db, files, opts.to);
  return { target: target.label, ...plan, sql: planToSql(plan, ctx.session, target.label, settingsModeOf(db)), wouldRefuse: upRefusals(plan, opts) };
}

export function renderPlan(r: PlanResult, out: Output): void {
  out.printSql(r.sql);
  for (const refusal of r.wouldRefuse) out.warn(`migrate up will refuse: ${refusal.message}`);
}

/** One line for the summary table of a run over several targets. */
export function planSummary(r: PlanResult): string {
  return `${r.migrations.length} migration(s) to run${r.wouldRefuse.length ? `; up would refuse: ${r.wouldRefuse.map((w) => w.reason).join(', ')}` : ''}`;
}
