/**
 * The shape of an audit check and of its result. A check is a read-only rule of the data layer
 * (its `<rule>-count` and `<rule>-sample` blocks, src/data/findings.ts) plus what an operator
 * needs around it: a stable id, a module, a severity, the repair command, and the thresholds it
 * uses. Results are plain data: `--json` prints them as they are.
 */
import type { Knex } from 'knex';
import type { ModuleName } from '../platform/modules.js';
import type { Catalog } from './catalog.js';

export type Severity = 'error' | 'warn' | 'info';
export type CheckModule = ModuleName | 'schema';
export type CheckStatus = 'ok' | 'finding' | 'skipped' | 'error';
export type Row = Record<string, unknown>;

export const SEVERITIES: readonly Severity[] = ['info', 'warn', 'error'];

export interface ThresholdSpec {
  /** e.g. "locked-for": set with --threshold outbox.stuck.locked-for=15m */
  name: string;
  kind: 'duration' | 'integer';
  /** Milliseconds for durations. */
  default: number;
  /** The smallest value accepted (integers); below it is a usage error. */
  min?: number;
  description: string;
}

/** What a check's run() receives. */
export interface CheckEnv {
  /** A savepoint inside the audit's READ ONLY transaction. */
  db: Knex.Transaction;
  /** Rows of sample to return. */
  sample: number;
  /** Resolved thresholds of this check, by name (durations in ms), min-count included. */
  thresholds: Record<string, number>;
  catalog: Catalog;
  migrationsDir: string;
}

export interface CheckOutcome {
  /** Offending groups or rows (see docs/CHECKS.md); for info checks, what was counted. */
  count: number;
  sample: Row[];
  /** Extra facts (e.g. bookings behind the missing pairs, which variant of the query ran). */
  details?: Record<string, unknown>;
  /** A repair more precise than the check's own, decided from what was found. */
  repair?: string;
}

export interface CheckDefinition {
  id: string;
  module: CheckModule;
  /**
   * The tables its query reads: when one is absent the check is skipped, saying which. Per table,
   * not per module: a recruiting database without reminder jobs still gets its outbox checked.
   */
  tables: readonly string[];
  severity: Severity;
  title: string;
  repair: string;
  /** Its own thresholds; min-count, which every non-info check has, is added by the registry. */
  thresholds?: ThresholdSpec[];
  run(env: CheckEnv): Promise<CheckOutcome>;
}

export interface ThresholdValue {
  value: number;
  unit: 'ms' | 'count';
  /** As a person writes it: 15m, 1h. */
  text: string;
}

export interface CheckResult {
  id: string;
  module: CheckModule;
  severity: Severity;
  title: string;
  status: CheckStatus;
  /**
   * The check counted something, but less than its min-count: its status is ok (it does not
   * fail the audit), and its count and sample are still reported.
   */
  tolerated: boolean;
  /** Why it was skipped or failed. */
  reason?: string;
  count: number;
  sample: Row[];
  repair: string;
  thresholds: Record<string, ThresholdValue>;
  details?: Record<string, unknown>;
  ms: number;
}
