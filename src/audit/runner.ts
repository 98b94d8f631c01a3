/**
 * Runs the selected checks inside one READ ONLY, REPEATABLE READ transaction (one snapshot: the
 * counts of different checks agree with each other, and nothing can be written), each check in
 * a savepoint so a query that fails (a permission, a timeout, a schema we did not expect) is
 * reported as that check's error and does not hide the others. The transaction is rolled back.
 */
import type { Knex } from 'knex';
import { translatePgError } from '../data/pg-errors.js';
import { UsageError } from '../errors.js';
import { MODULE_NAMES, MODULES } from '../platform/modules.js';
import { Catalog, type ModulePresence } from './catalog.js';
import { MIN_COUNT } from './registry.js';
import { thresholdsFor } from './settings.js';
import type { CheckDefinition, CheckResult } from './types.js';

export interface AuditOptions {
  checks: CheckDefinition[];
  /** Ids skipped by configuration or --skip. */
  skip?: Set<string>;
  sample: number;
  /** Layers of thresholds (config file, then command line); check id -> name -> value. */
  thresholds: Array<Record<string, Record<string, number>>>;
  migrationsDir: string;
  /** Progress: called before each check runs. */
  onCheck?: (check: CheckDefinition, index: number, total: number) => void;
}

export interface AuditRun {
  modules: ModulePresence;
  checks: CheckResult[];
}

export async function runAudit(db: Knex, opts: AuditOptions): Promise<AuditRun> {
  const trx = await db.transaction({ isolationLevel: 'repeatable read', readOnly: true });
  try {
    const catalog = new Catalog();
    const modules = await catalog.modules(trx);
    const results: CheckResult[] = [];
    for (const [index, check] of opts.checks.entries()) {
      opts.onCheck?.(check, index, opts.checks.length);
      const { values, shown } = thresholdsFor(check, ...opts.thresholds);
      const base = {
        id: check.id,
        module: check.module,
        severity: check.severity,
        title: check.title,
        repair: check.repair,
        thresholds: shown,
        tolerated: false,
        count: 0,
        sample: [],
        ms: 0,
      };
      const missing = check.tables.filter((t) => !modules.tables.includes(t));
      if (opts.skip?.has(check.id)) {
        results.push({ ...base, status: 'skipped', reason: 'skipped by configuration (--skip or the config file)' });
        continue;
      }
      if (missing.length) {
        results.push({ ...base, status: 'skipped', reason: missingTablesReason(missing, modules) });
        continue;
      }
      const started = performance.now();
      try {
        const outcome = await trx.transaction((sp) =>
          check.run({ db: sp, sample: opts.sample, thresholds: values, catalog, migrationsDir: opts.migrationsDir }),
        );
        // Info checks are never findings; the others are from a count of min-count (default 1) up. Below
        // it, a count is tolerated: status ok, the count and sample still reported.
        const gated = check.severity !== 'info';
        const finding = gated && outcome.count >= values[MIN_COUNT.name];
        results.push({
          ...base,
          count: outcome.count,
          sample: outcome.sample,
          details: outcome.details,
          repair: outcome.repair ?? check.repair,
          status: finding ? 'finding' : 'ok',
          tolerated: gated && !finding && outcome.count > 0,
          ms: Math.round(performance.now() - started),
        });
      } catch (err) {
        // The caller's mistake (a migrations folder that does not exist) is not the database's:
        // the audit stops with it (exit 2), as every other command does.
        if (err instanceof UsageError) throw err;
        const error = translatePgError(err) as Error;
        results.push({ ...base, status: 'error', reason: error.message, ms: Math.round(performance.now() - started) });
      }
    }
    return { modules, checks: results };
  } finally {
    await trx.rollback().catch(() => undefined);
  }
}

/**
 * Why a check was skipped, by the module each missing table belongs to: "module whatsapp absent
 * (no table …)" when none of that module's tables exists, else "no table … (module … incomplete)".
 */
function missingTablesReason(missing: string[], modules: ModulePresence): string {
  return MODULE_NAMES.flatMap((m) => {
    const ours = missing.filter((t) => (MODULES[m] as readonly string[]).includes(t));
    if (ours.length === 0) return [];
    const none = MODULES[m].every((t) => !modules.tables.includes(t));
    return [none ? `module ${m} absent (no table ${MODULES[m].join(', ')})` : `no table ${ours.join(', ')} (module ${m} incomplete)`];
  }).join('; ');
}
