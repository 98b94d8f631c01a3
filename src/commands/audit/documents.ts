/**
 * The audit as documents for elsewhere: markdown, to attach to a ticket (when, which target,
 * which bookops, each finding with its sample and its repair), and JUnit XML, for CI dashboards
 * (a test suite per target, a test case per check: a finding at or above --fail-on fails, a
 * check that could not run is an error, a skipped one is skipped).
 */
import { atOrAbove } from '../../audit/verdict.js';
import type { TargetRun } from '../../fleet/run.js';
import { formatRow } from '../../migrate/preflight.js';
import { VERSION } from '../../version.js';
import type { AuditResult, AuditReport } from './render.js';

type Runs = Array<TargetRun<AuditResult>>;

const reportOf = (r: TargetRun<AuditResult>): AuditReport | undefined => (r.result?.kind === 'audit' ? r.result : undefined);

/** Markdown's table cells and inline text: a pipe or a newline would break the table. */
function cell(text: unknown): string {
  return String(text ?? '').replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function auditMarkdown(runs: Runs): string {
  const lines: string[] = [`# bookops audit`, ''];
  const first = runs.map(reportOf).find(Boolean);
  lines.push(`- when: ${first?.generatedAt ?? new Date().toISOString()}`, `- bookops: ${VERSION}`, `- targets: ${runs.map((r) => `${r.target} (${r.address})`).join(', ')}`, '');
  for (const run of runs) {
    const r = reportOf(run);
    lines.push(`## ${run.target}`, '', `- address: \`${run.address}\``, `- exit code: ${run.exitCode}`);
    if (!r) {
      lines.push(`- error: ${cell(run.error?.message)}${run.error?.hint ? ` (${cell(run.error.hint)})` : ''}`, '');
      continue;
    }
    lines.push(
      `- audited: ${r.generatedAt}, in ${r.seconds}s, fail on: ${r.failOn}`,
      `- modules present: ${r.modules.present.join(', ') || 'none'}`,
      `- verdict: ${r.healthy ? 'healthy' : `not healthy: ${r.reasons.map(cell).join('; ')}`}`,
      '',
      '| status | check | severity | count | repair |',
      '| --- | --- | --- | ---: | --- |',
      ...r.checks.map((c) => `| ${c.status} | ${c.id} | ${c.severity} | ${c.status === 'ok' || c.status === 'finding' ? c.count : ''} | ${c.status === 'finding' ? cell(c.repair) : ''} |`),
      '',
    );
    for (const c of r.checks.filter((x) => x.status === 'finding' || x.status === 'error')) {
      lines.push(`### ${c.id}: ${c.status === 'error' ? 'could not run' : `${c.count} ${cell(c.title)}`}`, '');
      if (c.status === 'error') {
        lines.push(`${cell(c.reason)}`, '');
        continue;
      }
      lines.push(`Severity ${c.severity}. Sample (${c.sample.length} of ${c.count}):`, '', '```', ...c.sample.map(formatRow), '```', '', `Repair: \`${c.repair}\``, '');
    }
  }
  return lines.join('\n');
}

function xml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    // XML 1.0 has no place for most control characters.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

export function auditJunit(runs: Runs): string {
  const suites = runs.map((run) => {
    const r = reportOf(run);
    const name = `bookops audit ${run.target}`;
    if (!r) {
      // The target could not be audited: one case that says why, so the dashboard shows it red.
      const error = `<error message="${xml(run.error?.message)}" type="${xml(run.error?.code)}"/>`;
      return `  <testsuite name="${xml(name)}" tests="1" failures="0" errors="1" skipped="0" time="${run.seconds}">\n    <testcase classname="${xml(run.target)}" name="connect" time="${run.seconds}">${error}</testcase>\n  </testsuite>`;
    }
    const cases = r.checks.map((c) => {
      const head = `    <testcase classname="${xml(`${run.target}.${c.module}`)}" name="${xml(c.id)}" time="${c.ms / 1000}">`;
      if (c.status === 'skipped') return `${head}<skipped message="${xml(c.reason)}"/></testcase>`;
      if (c.status === 'error') return `${head}<error message="${xml(c.reason)}" type="error"/></testcase>`;
      if (c.status === 'finding' && atOrAbove(c.severity, r.failOn)) {
        const body = [`${c.count} ${c.title}`, ...c.sample.map(formatRow), `repair: ${c.repair}`].join('\n');
        return `${head}<failure message="${xml(`${c.count} ${c.title}`)}" type="${c.severity}">${xml(body)}</failure></testcase>`;
      }
      return `${head}</testcase>`;
    });
    const failures = r.checks.filter((c) => c.status === 'finding' && atOrAbove(c.severity, r.failOn)).length;
    const errors = r.checks.filter((c) => c.status === 'error').length;
    const skipped = r.checks.filter((c) => c.status === 'skipped').length;
    return (
      `  <testsuite name="${xml(name)}" tests="${r.checks.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${r.seconds}" timestamp="${r.generatedAt}">\n` +
      `    <properties><property name="address" value="${xml(run.address)}"/><property name="bookops" value="${VERSION}"/></properties>\n` +
      `${cases.join('\n')}\n  </testsuite>`
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="bookops audit">\n${suites.join('\n')}\n</testsuites>\n`;
}
