/**
 * bookops audit [check...]: the read-only checks of the platform tables and schema. The verdict
 * (src/audit/verdict.ts) says healthy, findings or incomplete; the exit code is this command's.
 * Settings come in layers (src/audit/report.ts): the config file, the target's own, the command line.
 */
import { command, optionalArgument, option, flag } from '../../cli/define.js';
import { formatOption, migrationsDirOption, prometheusFileOption } from '../../cli/options.js';
import { choice, collect, integer } from '../../cli/parsers.js';
import { CHECKS, thresholdSpecs } from '../../audit/registry.js';
import { auditReport, auditSettings } from '../../audit/report.js';
import { EXIT } from '../../exit-codes.js';
import { auditMetrics } from '../../io/metrics.js';
import { startProgress } from '../../io/progress.js';
import { migrationsDir } from '../../paths.js';
import { auditJunit, auditMarkdown } from './documents.js';
import { auditSummary, renderAudit, renderListing, type AuditResult, type ListedCheck } from './render.js';

export { AUDIT_EXIT, DEFAULT_SAMPLE } from '../../audit/report.js';

function listChecks(): ListedCheck[] {
  return CHECKS.map((c) => ({
    id: c.id,
    module: c.module,
    severity: c.severity,
    title: c.title,
    repair: c.repair,
    tables: c.tables,
    thresholds: thresholdSpecs(c).map((t) => ({ name: t.name, default: t.default, kind: t.kind, description: t.description })),
  }));
}

export default command({
  name: 'audit',
  readOnly: true,
  inputs: {
    checks: optionalArgument<string[]>('[check...]', 'check ids, modules or groups to run (default: all; see --list)'),
    failOn: option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default: error)', choice('warn', 'error')),
    threshold: option(
      '--threshold <check.name=value>',
      'override a threshold, e.g. outbox.stuck.locked-for=15m, or chats.missing.min-count=5 (a finding only from 5 up; repeatable)',
      collect,
    ),
    skip: option('--skip <check>', 'do not run this check, module or group (repeatable)', collect),
    sample: option('--sample <n>', 'offending rows kept per check (default: 10)', integer(1, 1000)),
    // One --format: the tables' own (table, plain) and the audit's documents (prometheus: bookops_up,
    // bookops_audit_*; markdown: a report for a ticket; junit: a test case per check and target).
    format: formatOption('prometheus', 'markdown', 'junit'),
    list: flag('--list', 'list the checks, their severities and thresholds; needs no database'),
    prometheus: prometheusFileOption(),
    migrationsDir: migrationsDirOption('migrations folder for the schema checks (default: the one shipped with bookops)'),
  },
  examples: [
    'bookops audit',
    'bookops audit recruiting outbox.stuck --json',
    'bookops audit --fail-on warn --threshold outbox.stuck.locked-for=30m',
    'bookops audit --config /etc/bookops.json --quiet || page-oncall',
    'bookops audit --all-targets --json > audit.json',
    'bookops audit --target lessons-prod --format markdown > ticket.md',
    'bookops audit --all-targets --format junit > audit-junit.xml',
    'bookops audit --list',
  ],
  notes:
    'Exit codes: 0 healthy, 1 findings at or above --fail-on (or no check could run), 2 usage, 3 connection, 7 a check query failed. ' +
    'Over several targets (--all-targets, --target a --target b): the worst of them.',
  // Every target's audit settings are checked before any is asked: a typo in one is a usage error (exit 2).
  check: async (ctx, o) => {
    if (o.list) return;
    const config = await ctx.config();
    for (const named of (await ctx.namedTargets()) ?? [undefined]) auditSettings(config, named, o);
  },
  run: async (ctx, o): Promise<AuditResult> => {
    if (o.list) return { kind: 'list', checks: listChecks() };
    // Every usage error is found before connecting.
    const settings = auditSettings(await ctx.config(), (await ctx.namedTargets())?.[0], o);
    const [db, name] = await Promise.all([ctx.db(), ctx.targetName()]);
    const progress = await startProgress(ctx.out, `auditing ${name}`, 'checks');
    try {
      return await auditReport(db, name, settings, {
        migrationsDir: migrationsDir(o.migrationsDir),
        onCheck: (check, i, n) => {
          // After Ctrl-C, SIGTERM or a target given up, no further check starts.
          ctx.checkInterrupted('no further check was started');
          progress.update(i, n, check.title);
        },
      });
    } finally {
      progress.stop();
    }
  },
  render: (r, out) => (r.kind === 'list' ? renderListing(r, out) : renderAudit(r, out)),
  exitCode: (r) => (r.kind === 'list' ? EXIT.OK : r.exitCode),
  summary: (r) => (r.kind === 'list' ? '' : auditSummary(r)),
  metrics: (r) => (r.kind === 'list' ? [] : auditMetrics(r)),
  documents: { markdown: auditMarkdown, junit: auditJunit },
});
