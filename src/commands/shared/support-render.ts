/**
 * What every support command shows: the plan (a summary naming the object and the counts, the
 * first rows, the statements or rule steps), then either "dry run, nothing changed", "nothing
 * to do", or the outcome with the archive operation to restore. Plans carry these fields so
 * --json prints the same facts as the text.
 */
import type { Output } from '../../cli/output.js';
import { DatabaseError } from '../../errors.js';
import { MODULES, presentModules, type ModuleName } from '../../domain/modules.js';
import type { Db } from '../../domain/db.js';
import type { ShownStatement } from './batches.js';
import type { DestructiveResult } from './destructive.js';
import type { RowsPreview } from './preview-rows.js';

export interface ShownPlan {
  /** What would happen, naming the object and the counts (or why nothing would). */
  summary: string;
  /** The first rows concerned, and how many there are in all. */
  sample?: { table: string; total: number; rows: Record<string, unknown>[] };
  /** The set-based statements a batch runs (--dry-run shows them). */
  statements?: ShownStatement[];
  /** The booking-rule steps, for commands that go through src/domain. */
  steps?: string[];
  /** Rule-driven commands: the rows each step would archive and change (first rows, totals). */
  changes?: RowsPreview[];
}

export interface RenderSpec<P extends ShownPlan, R> {
  /** One line (or a few) saying what was done. */
  done(result: R, plan: P): string[];
  /** Extra lines shown with the plan (dry run). */
  details?(plan: P): string[];
  /** Why a run that changed nothing had nothing to do (else the done lines are shown). */
  unchanged?(result: R, plan: P): string;
}

export function renderDestructive<P extends ShownPlan, R>(r: DestructiveResult<P, R>, out: Output, spec: RenderSpec<P, R>): void {
  const plan = r.plan;
  if (r.nothingToDo && (r.result === undefined || spec.unchanged)) {
    out.print(`nothing to do: ${r.result === undefined ? plan.summary : spec.unchanged!(r.result, plan)}`);
    return;
  }
  if (r.dryRun) {
    out.print(`${out.c.yellow('dry run')}, nothing changed: would ${plan.summary}`);
    showPlan(plan, out, spec);
    return;
  }
  for (const line of spec.done(r.result as R, plan)) out.print(line);
  if (r.archiveOperation === undefined) {
    out.print('nothing was changed, so there is nothing to undo');
    return;
  }
  out.print(`archive operation ${r.archiveOperation}: undo with \`bookops archive restore ${r.archiveOperation}\``);
}

function showPlan<P extends ShownPlan, R>(plan: P, out: Output, spec: RenderSpec<P, R>): void {
  for (const line of spec.details?.(plan) ?? []) out.print(line);
  if (plan.sample && plan.sample.rows.length > 0) {
    const columns = Object.keys(plan.sample.rows[0]);
    out.print(`${plan.sample.table}: ${plan.sample.rows.length < plan.sample.total ? `first ${plan.sample.rows.length} of ` : ''}${plan.sample.total} row(s)`);
    out.print(out.table(columns, plan.sample.rows.map((row) => columns.map((c) => cell(row[c])))));
  }
  for (const c of plan.changes ?? []) {
    if (c.rows.length === 0) continue;
    const columns = Object.keys(c.rows[0]);
    const of = c.of ? ` (${c.of})` : '';
    out.print(`${c.table}${of}, archived then ${c.change === 'delete' ? 'deleted' : 'changed'}: ${c.rows.length < c.total ? `first ${c.rows.length} of ` : ''}${c.total} row(s)`);
    out.print(out.table(columns, c.rows.map((row) => columns.map((col) => cell(row[col])))));
  }
  if (plan.steps?.length) {
    out.print('steps:');
    plan.steps.forEach((s, i) => out.print(`  ${i + 1}. ${s}`));
  }
  if (plan.statements?.length) {
    out.print('statements:');
    for (const s of plan.statements) {
      if (s.note) out.print(`  -- ${s.note}`);
      out.print(s.sql.split('\n').map((l) => `  ${l}`).join('\n') + ';');
      out.print(`  -- parameters: ${JSON.stringify(s.params)}`);
    }
  }
}

export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Refuses (exit 7, the schema is not what bookops expects) when a module's tables are absent. */
export async function requireModule(db: Db, module: ModuleName): Promise<void> {
  const present = await presentModules(db);
  if (!present.includes(module)) {
    throw new DatabaseError(`the ${module} module is not in this database (tables ${MODULES[module].join(', ')}); nothing was changed`);
  }
}
