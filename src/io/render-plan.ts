/**
 * What every support command shows: the plan (a summary naming the object and the counts, the
 * first rows, the statements or rule steps), then either "dry run, nothing changed", "nothing
 * to do", or the outcome with the archive operation to restore. Plans carry these fields so
 * --json prints the same facts as the text.
 */
import type { ShownStatement } from '../archive/changes.js';
import type { PlanBase } from '../domain/rule.js';
import type { DestructiveResult } from './destructive.js';
import type { Output } from './output.js';
import { asInvoked } from '../invocation.js';

type ShownPlan = PlanBase;

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
  out.print(`archive operation ${r.archiveOperation}: undo with \`${asInvoked(`archive restore ${r.archiveOperation}`)}\``);
}

function showPlan<P extends ShownPlan, R>(plan: P, out: Output, spec: RenderSpec<P, R>): void {
  for (const line of spec.details?.(plan) ?? []) out.print(line);
  if (plan.sample && plan.sample.rows.length > 0) {
    const columns = Object.keys(plan.sample.rows[0]);
    out.print(`${plan.sample.table}: ${plan.sample.rows.length < plan.sample.total ? `first ${plan.sample.rows.length} of ` : ''}${plan.sample.total} row(s)`);
    out.print(out.table(columns, plan.sample.rows.map((row) => columns.map((c) => cell(row[c])))));
  }
  for (const c of plan.changes ?? []) {
    const rows = c.rows ?? [];
    if (rows.length === 0) continue;
    const columns = Object.keys(rows[0]);
    const of = c.of ? ` (${c.of})` : '';
    const total = c.total ?? rows.length;
    out.print(`${c.table}${of}, archived then ${c.change === 'delete' ? 'deleted' : 'changed'}: ${rows.length < total ? `first ${rows.length} of ` : ''}${total} row(s)`);
    out.print(out.table(columns, rows.map((row) => columns.map((col) => cell(row[col])))));
  }
  if (plan.steps?.length) {
    out.print('steps:');
    plan.steps.forEach((s, i) => out.print(`  ${i + 1}. ${s}`));
  }
  showStatements(plan.statements ?? [], out);
}

/**
 * A batched repair re-checks every planned row as its batch runs: what no longer matched by then
 * (changed since the preview) is left as it is, and said so.
 */
export function leftSincePreview(planned: number, done: number): string {
  const left = planned - done;
  return left > 0 ? `; ${left} of the ${planned} planned no longer matched when its batch ran (changed since the preview) and were left as they are` : '';
}

/** The statements a run sends, as the driver receives them, each followed by its parameters. */
export function showStatements(statements: ShownStatement[], out: Output): void {
  if (!statements.length) return;
  out.print('statements:');
  for (const s of statements) {
    if (s.note) out.print(`  -- ${s.note}`);
    out.print(s.sql.split('\n').map((l) => `  ${l}`).join('\n') + ';');
    if (s.params.length) out.print(`  -- ${s.params.map((v, i) => `$${i + 1} = ${shownValue(v)}`).join(', ')}`);
  }
}

const SHOWN_ITEMS = 20;
const SHOWN_CHARACTERS = 500;

/**
 * A statement's parameter as the dry run prints it on a terminal: long lists cut after 20 items,
 * a list sent as one JSON text (a batch's rows) likewise, other long text after 500 characters;
 * --json has them all.
 */
export function shownValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (Array.isArray(value) && value.length > SHOWN_ITEMS) return `${JSON.stringify(value.slice(0, SHOWN_ITEMS)).slice(0, -1)},… ${value.length - SHOWN_ITEMS} more]`;
  if (typeof value === 'string' && value.length > SHOWN_CHARACTERS) {
    const list = jsonList(value);
    if (list && list.length > SHOWN_ITEMS) return `${JSON.stringify(JSON.stringify(list.slice(0, SHOWN_ITEMS)).slice(0, -1))}… ${list.length - SHOWN_ITEMS} more items`;
    return `${JSON.stringify(value.slice(0, SHOWN_CHARACTERS))}… ${value.length - SHOWN_CHARACTERS} more characters`;
  }
  return JSON.stringify(value);
}

function jsonList(text: string): unknown[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
