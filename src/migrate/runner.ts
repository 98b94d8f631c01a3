/**
 * migrate up / down / baseline. Each run: take the run lock (advisory-lock.ts: a session advisory
 * lock on its own connection, or a lock row through a pooler; polled; checked before each
 * migration),
 * clear a knex lock row a killed run may have left (we hold the real lock, so nobody else is
 * running), refuse on edited applied migrations, refuse when any preflight (up) or down-preflight
 * (down) of the run finds rows, then one migration at a time: its preflight again, then
 * Knex's migrator, retried as a whole when a transactional migration hits lock_timeout.
 */
import type { Knex } from 'knex';
import { RefusedError, UsageError } from '../errors.js';
import type { Target } from '../config/target.js';
import { acquireMigrationLock, describeHolder, type HeldLock } from '../data/advisory-lock.js';
import { citusVersion, platformTables } from '../data/catalog.repository.js';
import type { SessionOptions } from '../data/connect.js';
import * as migrateData from '../data/migrate.repository.js';
import { completeModules } from '../platform/modules.js';
import { baselineNeededError, tablesWithoutBaseline } from './baseline-needed.js';
import { refuseOnCitus } from './citus.js';
import { findMigration, type MigrationFile } from './migration-file.js';
import { refuseOnAnyPreflight, runPreflight } from './preflight.js';
import { withLockRetry, type RetryOptions } from './retry.js';
import { SqlMigrationSource, type ExecutionHooks } from './source.js';
import { changedSinceApplied, MIGRATIONS_TABLE, pendingUpTo, readApplied, recordedSkip, revivedSkips, skippedFor, type AppliedRow } from './state.js';
import { asInvoked } from '../invocation.js';
import { changedMessage } from './up-refusals.js';

export interface RunnerDeps {
  db: Knex;
  target: Target;
  session: SessionOptions;
  migrations: MigrationFile[];
  lockWaitMs: number;
  retry: RetryOptions;
  log: (line: string) => void;
  onStatement?: ExecutionHooks['onStatement'];
}

export interface MigrationRun {
  name: string;
  direction: 'up' | 'down';
  ms: number;
  /** Recorded (or unrecorded) without running anything, and why. */
  skipped?: string;
}

async function withRunLock<T>(
  deps: RunnerDeps,
  fn: (migrator: Knex.Migrator, config: Knex.MigratorConfig, lock: HeldLock) => Promise<T>,
): Promise<T> {
  const lock = await acquireMigrationLock(deps.target, deps.session, {
    db: deps.db,
    waitMs: deps.lockWaitMs,
    onWait: (holder) =>
      deps.log(`waiting up to ${Math.round(deps.lockWaitMs / 1000)}s for the migration lock${holder ? ` held by ${describeHolder(holder)}` : ''}`),
  });
  try {
    const config: Knex.MigratorConfig = {
      tableName: MIGRATIONS_TABLE,
      migrationSource: new SqlMigrationSource(deps.migrations, { retry: deps.retry, onStatement: deps.onStatement }),
    };
    await deps.db.migrate.forceFreeMigrationsLock(config);
    await migrateData.ensureChecksums(deps.db);
    return await fn(deps.db.migrate, config, lock);
  } finally {
    await lock.release();
  }
}

async function refuseChanged(deps: RunnerDeps, allowChanged: boolean): Promise<void> {
  const changed = changedSinceApplied(deps.migrations, await readApplied(deps.db));
  if (changed.length && !allowChanged) {
    throw new RefusedError(changedMessage(changed), { hint: 'restore the files as they were applied, or pass --allow-changed after review' });
  }
}

export async function migrateUp(deps: RunnerDeps, opts: { to?: string; allowChanged?: boolean }): Promise<MigrationRun[]> {
  const target = opts.to ? findMigration(deps.migrations, opts.to) : undefined;
  // Before the run lock, which creates the bookkeeping tables: a refusal leaves nothing behind.
  const refuseUnrecordedBaseline = async () => {
    const tables = await tablesWithoutBaseline(deps.db, deps.migrations, await readApplied(deps.db));
    if (tables.length) throw baselineNeededError(tables);
  };
  await refuseUnrecordedBaseline();
  // A Citus coordinator changes what some statements mean: refused before anything is created.
  refuseOnCitus(await citusVersion(deps.db), pendingUpTo(deps.migrations, await readApplied(deps.db), target), 'up');
  return withRunLock(deps, async (migrator, config, lock) => {
    await refuseUnrecordedBaseline();
    await refuseChanged(deps, Boolean(opts.allowChanged));
    await forgetRevivedSkips(deps, target);
    const pending = pendingUpTo(deps.migrations, await readApplied(deps.db), target);
    // Every preflight before the first change, so a refusal leaves the database as it was. Each
    // runs once: only a preflight that could not run then (its tables did not exist yet: an
    // earlier migration of this run creates them) runs just before its migration. A row written
    // in between that breaks a unique index makes its build fail, and the INVALID index is
    // dropped and rebuilt by the next run.
    const passed = await refuseOnAnyPreflight(deps.db, pending);
    const runs: MigrationRun[] = [];
    for (const migration of pending) {
      await lock.assertHeld();
      if (!passed.has(migration.name)) await runPreflight(deps.db, migration, { refuse: true });
      const started = performance.now();
      deps.log(`applying ${migration.name}${migration.transactional ? '' : ' (outside a transaction)'}`);
      await withLockRetry(() => migrator.up(config), {
        ...deps.retry,
        onRetry: (attempt, delay) =>
          deps.log(`${migration.name}: lock_timeout, retrying in ${delay}ms (attempt ${attempt + 1} of ${deps.retry.attempts})`),
      });
      const skip = await recordedSkip(deps.db, migration.name);
      runs.push({ name: migration.name, direction: 'up', ms: Math.round(performance.now() - started), ...(skip ? { skipped: `no table ${skip.join(', ')}` } : {}) });
    }
    return runs;
  });
}

/**
 * A migration recorded as skipped (its tables were absent) whose tables exist now is taken off
 * the applied list, so this run applies it like any pending one (under the run lock); with
 * --to, only up to that migration.
 */
async function forgetRevivedSkips(deps: RunnerDeps, to?: MigrationFile): Promise<void> {
  const last = to ? deps.migrations.indexOf(to) : deps.migrations.length - 1;
  const inRange = new Set(deps.migrations.slice(0, last + 1).map((m) => m.name));
  const revived = (await revivedSkips(deps.db, deps.migrations, await readApplied(deps.db))).filter((name) => inRange.has(name));
  if (revived.length === 0) return;
  deps.log(`${revived.join(', ')}: skipped earlier for want of tables that exist now; applying`);
  await deps.db.transaction((trx) => migrateData.forget(trx, revived));
}

/**
 * What `down` reverts, newest first: the newest applied migration, or every one applied after
 * `to` (which stays). Refuses when one of them has no down section.
 */
export function revertList(files: MigrationFile[], applied: AppliedRow[], to?: string): MigrationFile[] {
  const target = to ? findMigration(files, to) : undefined;
  const appliedFiles = files.filter((m) => applied.some((a) => a.name === m.name));
  if (target && !appliedFiles.includes(target)) throw new UsageError(`${target.name} is not applied`);
  const toRevert = target ? appliedFiles.slice(appliedFiles.indexOf(target) + 1).reverse() : appliedFiles.slice(-1);
  const irreversible = toRevert.find((m) => !m.down);
  if (irreversible) {
    throw new RefusedError(`${irreversible.name} has no down section and cannot be reverted`, {
      hint: irreversible.isBaseline ? 'the baseline is the production schema; bookops never drops it' : undefined,
    });
  }
  return toRevert;
}

export async function migrateDown(deps: RunnerDeps, opts: { to?: string; allowChanged?: boolean }): Promise<MigrationRun[]> {
  return withRunLock(deps, async (migrator, config, lock) => {
    await refuseChanged(deps, Boolean(opts.allowChanged));
    const applied = await readApplied(deps.db);
    const toRevert = revertList(deps.migrations, applied, opts.to);
    refuseOnCitus(await citusVersion(deps.db), toRevert, 'down');
    // One recorded without running (its tables were absent) is unrecorded without running its down.
    const neverRan = (m: MigrationFile) => skippedFor(applied, m.name) !== null;
    // As for up: every down-preflight first, so a refused revert of several leaves all of them
    // applied instead of stopping half-way; each runs again just before its own revert.
    await refuseOnAnyPreflight(deps.db, toRevert.filter((m) => !neverRan(m)), 'down');
    const runs: MigrationRun[] = [];
    for (const migration of toRevert) {
      await lock.assertHeld();
      if (!neverRan(migration)) await runPreflight(deps.db, migration, { refuse: true, direction: 'down' });
      const started = performance.now();
      deps.log(`reverting ${migration.name}`);
      await withLockRetry(() => migrator.down({ ...config, name: migration.name }), deps.retry);
      const ms = Math.round(performance.now() - started);
      runs.push({ name: migration.name, direction: 'down', ms, ...(neverRan(migration) ? { skipped: 'it never ran here' } : {}) });
    }
    return runs;
  });
}

/**
 * Records the baseline as applied on a database that already has the production schema,
 * without running it. Refuses when it is applied already or when no platform table exists.
 */
export async function migrateBaseline(deps: RunnerDeps, opts: { dryRun?: boolean } = {}): Promise<{ name: string; modules: string[] }> {
  const baseline = deps.migrations.find((m) => m.isBaseline);
  if (!baseline) throw new UsageError('no baseline migration in the migrations folder');
  // Every refusal comes before the run lock, which creates bookops' bookkeeping tables: a refused
  // baseline leaves nothing behind. The lock then serialises the recording (checked again under it).
  const refusal = async () => {
    const applied = await readApplied(deps.db);
    if (applied.some((a) => a.name === baseline.name)) return new RefusedError(`${baseline.name} is already recorded as applied`);
    if (applied.length) return new RefusedError(`migrations are already recorded here (${applied[0].name}); baseline is for a database bookops has never migrated`);
    return undefined;
  };
  const early = await refusal();
  if (early) throw early;
  const tables = await platformTables(deps.db);
  const modules = completeModules(tables);
  if (tables.length === 0) {
    throw new RefusedError('none of the platform tables exist here; nothing to baseline', {
      hint: `use ${asInvoked('migrate up')} to create the schema`,
    });
  }
  if (opts.dryRun) return { name: baseline.name, modules };
  return withRunLock(deps, async (migrator, config) => {
    const late = await refusal();
    if (late) throw late;
    await migrator.list(config); // creates Knex's bookkeeping tables when missing
    await deps.db.transaction(async (trx) => {
      await migrateData.recordBaseline(trx, baseline.name);
      await migrateData.recordChecksum(trx, baseline.name, baseline.checksum, null);
    });
    return { name: baseline.name, modules };
  });
}
