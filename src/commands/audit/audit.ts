/**
 * bookops audit [check...]: the read-only checks of the platform tables and schema. The verdict
 * (src/audit/verdict.ts) says healthy, findings or incomplete; the exit code is this command's.
 */
import { command, envOption, optionalArgument, option, flag } from '../../cli/define.js';
import { migrationsDirOption } from '../../cli/options.js';
import { choice, collect, integer } from '../../cli/parsers.js';
import { CHECKS, selectChecks, thresholdSpecs } from '../../audit/registry.js';
import { runAudit } from '../../audit/runner.js';
import { parseThresholdFlag, readConfig, type AuditConfig } from '../../audit/settings.js';
import { verdict, type Outcome } from '../../audit/verdict.js';
import { EXIT } from '../../exit-codes.js';
import { startProgress } from '../../io/progress.js';
import { migrationsDir } from '../../paths.js';
import { renderAudit, renderListing, type AuditResult, type ListedCheck } from './render.js';

/** Exit code per outcome: a check that could not run is the database's failure (7), not a finding. */
export const AUDIT_EXIT: Record<Outcome, number> = {
  healthy: EXIT.OK,
  findings: EXIT.FINDINGS,
  incomplete: EXIT.DATABASE,
};



export const DEFAULT_SAMPLE = 10;

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
    config: envOption('--config <file>', 'JSON settings: failOn, sample, skip, thresholds (see docs/OPERATIONS.md)', 'BOOKOPS_CONFIG'),
    skip: option('--skip <check>', 'do not run this check, module or group (repeatable)', collect),
    sample: option('--sample <n>', 'offending rows kept per check (default: 10)', integer(1, 1000)),
    list: flag('--list', 'list the checks, their severities and thresholds; needs no database'),
    migrationsDir: migrationsDirOption('migrations folder for the schema checks (default: the one shipped with bookops)'),
  },
  examples: [
    'bookops audit',
    'bookops audit recruiting outbox.stuck --json',
    'bookops audit --fail-on warn --threshold outbox.stuck.locked-for=30m',
    'bookops audit --config /etc/bookops.json --quiet || page-oncall',
    'bookops audit --list',
  ],
  notes: 'Exit codes: 0 healthy, 1 findings at or above --fail-on (or no check could run), 2 usage, 3 connection, 7 a check query failed.',
  run: async (ctx, o): Promise<AuditResult> => {
    if (o.list) return { kind: 'list', checks: listChecks() };
    // Every usage error is found before connecting.
    const config: AuditConfig = o.config ? await readConfig(o.config) : { thresholds: {} };
    const flagThresholds: Record<string, Record<string, number>> = {};
    for (const flag of o.threshold ?? []) parseThresholdFlag(flag, flagThresholds);
    const checks = selectChecks(o.checks);
    const skipTokens = [...(config.skip ?? []), ...(o.skip ?? [])];
    const skip = new Set(skipTokens.length ? selectChecks(skipTokens).map((c) => c.id) : []);
    const failOn = o.failOn ?? config.failOn ?? 'error';
    const sample = o.sample ?? config.sample ?? DEFAULT_SAMPLE;

    const [db, target] = await Promise.all([ctx.db(), ctx.target()]);
    const progress = await startProgress(ctx.out, 'audit');
    let outcome;
    try {
      outcome = await runAudit(db, {
        checks,
        skip,
        sample,
        thresholds: [config.thresholds, flagThresholds],
        migrationsDir: migrationsDir(o.migrationsDir),
        onCheck: (check, i, n) => progress.text(`${check.id} (${i + 1}/${n})`),
      });
    } finally {
      progress.stop();
    }
    const v = verdict(outcome.checks, failOn);
    return {
      kind: 'audit',
      target: target.label,
      failOn,
      healthy: v.healthy,
      exitCode: AUDIT_EXIT[v.outcome],
      reasons: v.reasons,
      summary: v.summary,
      modules: outcome.modules,
      checks: outcome.checks,
    };
  },
  render: (r, out) => (r.kind === 'list' ? renderListing(r, out) : renderAudit(r, out)),
  exitCode: (r) => (r.kind === 'list' ? EXIT.OK : r.exitCode),
});
