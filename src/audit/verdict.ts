/**
 * Whether an audit is healthy, from each check's status alone (a count below the check's
 * min-count is already status ok, tolerated, and fails nothing). Findings at or above --fail-on
 * make it `findings`. A check that could not run (its query failed) makes it `incomplete`
 * unless findings already decided: the audit could not vouch for that part. An audit in which no
 * data check ran (every selected module absent or skipped) is not healthy either: silence is not
 * health. The command maps the outcome to an exit code.
 */
import type { FailOn } from './settings.js';
import type { CheckResult, Severity } from './types.js';

export interface Summary {
  selected: number;
  ran: number;
  /** Tolerated ones included. */
  ok: number;
  /** Checks that counted something below their min-count (status ok). */
  tolerated: number;
  findings: number;
  skipped: number;
  errors: number;
  /** Findings per severity. */
  bySeverity: Record<Severity, number>;
}

/** healthy; findings at or above --fail-on (or nothing verified); incomplete: a check could not run. */
export type Outcome = 'healthy' | 'findings' | 'incomplete';

export interface Verdict {
  healthy: boolean;
  outcome: Outcome;
  /** One line per reason the audit is not healthy. */
  reasons: string[];
  summary: Summary;
}

const RANK: Record<Severity, number> = { info: 0, warn: 1, error: 2 };

export function atOrAbove(severity: Severity, failOn: FailOn): boolean {
  return severity !== 'info' && RANK[severity] >= RANK[failOn];
}

export function verdict(checks: CheckResult[], failOn: FailOn): Verdict {
  const count = (status: string) => checks.filter((c) => c.status === status).length;
  const findings = checks.filter((c) => c.status === 'finding');
  const summary: Summary = {
    selected: checks.length,
    ran: checks.filter((c) => c.status === 'ok' || c.status === 'finding').length,
    ok: count('ok'),
    tolerated: checks.filter((c) => c.tolerated).length,
    findings: findings.length,
    skipped: count('skipped'),
    errors: count('error'),
    bySeverity: { error: 0, warn: 0, info: 0 },
  };
  for (const f of findings) summary.bySeverity[f.severity]++;

  const reasons: string[] = [];
  const failing = findings.filter((f) => atOrAbove(f.severity, failOn));
  if (failing.length) reasons.push(`${failing.length} check(s) with findings at or above ${failOn}: ${failing.map((f) => f.id).join(', ')}`);
  const errored = checks.filter((c) => c.status === 'error');
  if (errored.length) reasons.push(`${errored.length} check(s) failed: ${errored.map((c) => c.id).join(', ')}`);
  const data = checks.filter((c) => c.module !== 'schema');
  const dataRan = data.filter((c) => c.status === 'ok' || c.status === 'finding');
  // "Nothing ran" is the reason only when nothing failed there: a check that failed is present and
  // was tried, and the reason above says so (saying its module was absent or skipped would be false).
  if (summary.ran === 0 && !errored.length) reasons.push('no check ran: nothing was verified');
  else if (data.length > 0 && dataRan.length === 0 && !data.some((c) => c.status === 'error')) {
    reasons.push('no data check ran: every selected module is absent or skipped');
  }

  const outcome: Outcome = failing.length || (reasons.length && !errored.length) ? 'findings' : errored.length ? 'incomplete' : 'healthy';
  return { healthy: reasons.length === 0, outcome, reasons, summary };
}
