import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { startProgress } from '../../cli/progress.js';
import { EXIT } from '../../cli/exit-codes.js';
import type { ModulePresence } from '../../audit/catalog.js';
import { CHECKS, selectChecks, thresholdSpecs } from '../../audit/registry.js';
import { runAudit } from '../../audit/runner.js';
import { parseThresholdFlag, readConfig, type AuditConfig, type FailOn } from '../../audit/settings.js';
import type { CheckResult } from '../../audit/types.js';
import { verdict, type Summary } from '../../audit/verdict.js';
import { migrationsDir } from '../migrate/deps.js';
import { renderAudit, renderListing } from './render.js';

export interface AuditOptions {
  checks?: string[];
  failOn?: FailOn;
  threshold?: string[];
  config?: string;
  skip?: string[];
  sample?: number;
  list?: boolean;
  migrationsDir?: string;
}

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

export interface AuditReport {
  kind: 'audit';
  target: string;
  failOn: FailOn;
  healthy: boolean;
  exitCode: number;
  /** Why it is not healthy (empty when healthy). */
  reasons: string[];
  summary: Summary;
  modules: ModulePresence;
  checks: CheckResult[];
}

export type AuditResult = AuditListing | AuditReport;

export const DEFAULT_SAMPLE = 10;

export async function run(ctx: Context, opts: AuditOptions): Promise<AuditResult> {
  if (opts.list) return { kind: 'list', checks: listChecks() };
  // Every usage error is found before connecting.
  const config: AuditConfig = opts.config ? await readConfig(opts.config) : { thresholds: {} };
  const flagThresholds: Record<string, Record<string, number>> = {};
  for (const flag of opts.threshold ?? []) parseThresholdFlag(flag, flagThresholds);
  const checks = selectChecks(opts.checks);
  const skipTokens = [...(config.skip ?? []), ...(opts.skip ?? [])];
  const skip = new Set(skipTokens.length ? selectChecks(skipTokens).map((c) => c.id) : []);
  const failOn = opts.failOn ?? config.failOn ?? 'error';
  const sample = opts.sample ?? config.sample ?? DEFAULT_SAMPLE;

  const [db, target] = await Promise.all([ctx.db(), ctx.target()]);
  const progress = await startProgress(ctx.out, 'audit');
  let outcome;
  try {
    outcome = await runAudit(db, {
      checks,
      skip,
      sample,
      thresholds: [config.thresholds, flagThresholds],
      migrationsDir: migrationsDir(opts.migrationsDir),
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
    exitCode: v.exitCode,
    reasons: v.reasons,
    summary: v.summary,
    modules: outcome.modules,
    checks: outcome.checks,
  };
}

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

export function render(r: AuditResult, out: Output): void {
  if (r.kind === 'list') renderListing(r, out);
  else renderAudit(r, out);
}

export function exitCode(r: AuditResult): number {
  return r.kind === 'list' ? EXIT.OK : r.exitCode;
}
