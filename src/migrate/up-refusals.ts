/**
 * Why `migrate up` would refuse here, read from its plan (which ran the same checks up runs: the
 * unrecorded baseline, applied files edited since, every preflight): the one list behind the
 * warnings of `migrate plan` and `up --dry-run`, and the exit 4 of `migrate plan --check`.
 * A held migration lock is left out: it says nothing about the plan, only about this moment.
 */
import { baselineFirst } from './baseline-needed.js';
import type { Plan } from './plan.js';
import type { MigrationStatus } from './state.js';

export interface UpRefusal {
  reason: 'baseline-needed' | 'changed' | 'preflight' | 'citus';
  /** The migration it is about, when it is about one. */
  migration?: string;
  message: string;
}

/** The message of up's refusal over edited or vanished applied migrations. */
export function changedMessage(changed: Array<Pick<MigrationStatus, 'name' | 'state'>>): string {
  return `applied migrations differ from their files: ${changed.map((c) => `${c.name} (${c.state})`).join(', ')}`;
}

export function upRefusals(plan: Plan, opts: { allowChanged?: boolean } = {}): UpRefusal[] {
  const refusals: UpRefusal[] = [];
  if (plan.baselineNeeded?.length) {
    refusals.push({ reason: 'baseline-needed', message: `the platform tables exist but no baseline is recorded; ${baselineFirst()}` });
  }
  if (plan.changed?.length && !opts.allowChanged) {
    refusals.push({ reason: 'changed', message: `${changedMessage(plan.changed)} (restore them, or --allow-changed after review)` });
  }
  if (plan.citusRefusal) refusals.push({ reason: 'citus', message: `${plan.citusRefusal} (docs/SCALE-OUT.md)` });
  for (const m of plan.migrations) {
    if (m.preflight?.violations) {
      refusals.push({ reason: 'preflight', migration: m.name, message: `${m.name}: preflight finds ${m.preflight.violations} row(s): ${m.preflight.description}` });
    }
  }
  return refusals;
}
