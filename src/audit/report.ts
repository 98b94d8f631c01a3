/**
 * An audit from its settings to its report, for `bookops audit` and for the exporter alike: the
 * layers of settings (defaults, the config file's audit section, the target's own, the command
 * line), the run (runner.ts), the verdict (verdict.ts) and the exit code it maps to.
 */
import type { Knex } from 'knex';
import type { ConfigFile } from '../config/file.js';
import { EXIT } from '../exit-codes.js';
import { VERSION } from '../version.js';
import type { ModulePresence } from './catalog.js';
import { selectChecks } from './registry.js';
import { runAudit } from './runner.js';
import { parseAuditSection, parseThresholdFlag, type FailOn } from './settings.js';
import type { CheckDefinition, CheckResult } from './types.js';
import { verdict, type Outcome, type Summary } from './verdict.js';

/** Exit code per outcome: a check that could not run is the database's failure (7), not a finding. */
export const AUDIT_EXIT: Record<Outcome, number> = {
  healthy: EXIT.OK,
  findings: EXIT.FINDINGS,
  incomplete: EXIT.DATABASE,
};

export const DEFAULT_SAMPLE = 10;

/** What the command line says (each absent when not given). */
export interface AuditFlags {
  checks?: string[];
  failOn?: FailOn;
  threshold?: string[];
  skip?: string[];
  sample?: number;
}

export interface AuditSettings {
  checks: CheckDefinition[];
  skip: Set<string>;
  failOn: FailOn;
  sample: number;
  /** Layers of thresholds, lowest first. */
  thresholds: Array<Record<string, Record<string, number>>>;
}

/**
 * The settings of one target's audit: the file's section, then the target's own (`targets.<name>.audit`,
 * its skip list added to the file's), then the command line. Every usage error is found here,
 * before connecting.
 */
export function auditSettings(config: ConfigFile, target: { name: string; audit?: unknown } | undefined, flags: AuditFlags): AuditSettings {
  const where = config.path ?? 'config';
  const file = parseAuditSection(config.audit, where, { flat: config.flat, prefix: 'audit.' });
  const own = parseAuditSection(target?.audit, where, { prefix: `targets.${target?.name}.audit.`, nested: true });
  const flagThresholds: Record<string, Record<string, number>> = {};
  for (const flag of flags.threshold ?? []) parseThresholdFlag(flag, flagThresholds);
  const skipTokens = [...(file.skip ?? []), ...(own.skip ?? []), ...(flags.skip ?? [])];
  return {
    checks: selectChecks(flags.checks),
    skip: new Set(skipTokens.length ? selectChecks(skipTokens).map((c) => c.id) : []),
    failOn: flags.failOn ?? own.failOn ?? file.failOn ?? 'error',
    sample: flags.sample ?? own.sample ?? file.sample ?? DEFAULT_SAMPLE,
    thresholds: [file.thresholds, own.thresholds, flagThresholds],
  };
}

export interface AuditReport {
  kind: 'audit';
  target: string;
  /** When the audit ran (ISO 8601, UTC) and which bookops ran it: a report outlives its terminal. */
  generatedAt: string;
  version: string;
  failOn: FailOn;
  healthy: boolean;
  exitCode: number;
  /** Why it is not healthy (empty when healthy). */
  reasons: string[];
  summary: Summary;
  modules: ModulePresence;
  checks: CheckResult[];
  /** Seconds the audit took. */
  seconds: number;
}

export async function auditReport(
  db: Knex,
  label: string,
  settings: AuditSettings,
  opts: { migrationsDir: string; onCheck?: (check: CheckDefinition, index: number, total: number) => void },
): Promise<AuditReport> {
  const generatedAt = new Date().toISOString();
  const started = performance.now();
  const outcome = await runAudit(db, {
    checks: settings.checks,
    skip: settings.skip,
    sample: settings.sample,
    thresholds: settings.thresholds,
    migrationsDir: opts.migrationsDir,
    onCheck: opts.onCheck,
  });
  const v = verdict(outcome.checks, settings.failOn);
  return {
    kind: 'audit',
    target: label,
    generatedAt,
    version: VERSION,
    failOn: settings.failOn,
    healthy: v.healthy,
    exitCode: AUDIT_EXIT[v.outcome],
    reasons: v.reasons,
    summary: v.summary,
    modules: outcome.modules,
    checks: outcome.checks,
    seconds: Math.round(performance.now() - started) / 1000,
  };
}
