/** The audit's result documents, and the audit for people: one table of checks, then each finding's offending rows and its repair. */
import type { Output } from '../../io/output.js';
import { formatDuration } from '../../config/duration.js';
import { formatRow } from '../../migrate/preflight.js';
import { MIN_COUNT } from '../../audit/registry.js';
import type { AuditReport } from '../../audit/report.js';
import type { CheckResult } from '../../audit/types.js';
import { asInvoked } from '../../invocation.js';

export type { AuditReport };

export interface ListedCheck {
  id: string;
  module: string;
  severity: string;
  title: string;
  repair: string;
  /** The tables the check reads (it is skipped when one is absent). */
  tables: readonly string[];
  /** Its own, then min-count (every check but info ones). */
  thresholds: Array<{ name: string; default: number; kind: string; description: string }>;
}

export interface AuditListing {
  kind: 'list';
  checks: ListedCheck[];
}

export type AuditResult = AuditListing | AuditReport;

const SHOWN_ROWS = 5;

function statusText(c: CheckResult, out: Output): string {
  switch (c.status) {
    case 'ok':
      return c.tolerated ? `${out.c.green('ok')} (tolerated)` : out.c.green('ok');
    case 'finding':
      return c.severity === 'error' ? out.c.red('FINDING') : out.c.yellow('finding');
    case 'skipped':
      return out.c.dim('skipped');
    case 'error':
      return out.c.red('ERROR');
  }
}

export function renderAudit(r: AuditReport, out: Output): void {
  out.print(`audit of ${r.target} (modules present: ${r.modules.present.join(', ') || 'none'})`);
  out.print(
    out.table(
      // The repair is a sentence, not a cell: it is printed under each finding below the table.
      ['status', 'check', 'severity', 'count'],
      r.checks.map((c) => [statusText(c, out), c.id, c.severity, c.status === 'skipped' || c.status === 'error' ? '' : c.count]),
    ),
  );
  for (const c of r.checks) {
    if (c.status === 'finding' || c.tolerated) {
      // min-count=1 is every check's default: naming it on every finding would be noise.
      const limits = Object.entries(c.thresholds)
        .filter(([name, t]) => name !== MIN_COUNT.name || t.value !== MIN_COUNT.default)
        .map(([name, t]) => `${name}=${t.unit === 'ms' ? formatDuration(t.value) : t.value}`);
      out.print('');
      out.print(`${out.c.bold(c.id)}: ${c.count} ${c.title}${limits.length ? ` (${limits.join(', ')})` : ''}`);
      if (c.tolerated) out.print(out.c.dim(`  tolerated: below ${MIN_COUNT.name} ${c.thresholds[MIN_COUNT.name].value}, not a finding`));
      for (const row of c.sample.slice(0, SHOWN_ROWS)) out.print(`  ${formatRow(row)}`);
      if (c.count > Math.min(SHOWN_ROWS, c.sample.length)) out.print(out.c.dim(`  ... ${c.count - Math.min(SHOWN_ROWS, c.sample.length)} more (--json for the sample, --sample N for more)`));
      out.print(`  repair: ${c.repair}`);
    } else if (c.status === 'ok' && c.severity === 'info' && c.sample.length) {
      out.print('');
      out.print(`${c.id}: ${c.sample.map((row) => Object.values(row).join('=')).join(', ')}`);
    } else if (c.status === 'skipped' || c.status === 'error') {
      out.print('');
      out.print(`${c.id}: ${c.status === 'error' ? out.c.red('could not run') : 'skipped'}: ${c.reason}`);
    }
  }
  const s = r.summary;
  out.print('');
  out.print(
    `${s.selected} checks: ${s.ok} ok${s.tolerated ? ` (${s.tolerated} tolerated below their ${MIN_COUNT.name})` : ''}, ${s.findings} with findings (${s.bySeverity.error} error, ${s.bySeverity.warn} warn), ${s.skipped} skipped, ${s.errors} failed`,
  );
  if (r.healthy) out.print(out.c.green(`healthy: nothing at or above --fail-on ${r.failOn}`));
  else for (const reason of r.reasons) out.print(out.c.red(`not healthy: ${reason}`));
}

/** One line for the summary table of a run over several targets. */
export function auditSummary(r: AuditReport): string {
  const s = r.summary;
  const state = r.healthy ? 'healthy' : 'not healthy';
  return `${state}: ${s.findings} with findings (${s.bySeverity.error} error, ${s.bySeverity.warn} warn), ${s.errors} failed, ${s.skipped} skipped`;
}

export function renderListing(r: AuditListing, out: Output): void {
  out.print(
    out.table(
      ['check', 'module', 'severity', 'what', 'thresholds'],
      r.checks.map((c) => [
        c.id,
        c.module,
        c.severity,
        c.title,
        c.thresholds.map((t) => `${t.name}=${t.kind === 'duration' ? formatDuration(t.default) : t.default}`).join(' '),
      ]),
    ),
  );
  out.print(`select by id, module or group: ${asInvoked('audit recruiting outbox.stuck chats')}`);
}
