/** Brings a test database to a given migration with the real runner. */
import { join } from 'node:path';
import { parseDatabaseUrl } from '../../src/config/target.js';
import { DEFAULT_SESSION } from '../../src/data/session.js';
import { projectRoot } from '../../src/embedded/paths.js';
import { loadMigrations } from '../../src/migrate/migration-file.js';
import { DEFAULT_RETRY } from '../../src/migrate/retry.js';
import { migrateUp, type RunnerDeps } from '../../src/migrate/runner.js';
import type { TestDatabase } from './db.js';

export const BASELINE = '0001_legacy_baseline';

export async function runnerDepsFor(t: TestDatabase, dir = join(projectRoot(), 'migrations')): Promise<RunnerDeps> {
  return {
    db: t.db,
    target: parseDatabaseUrl(t.url, 'flag'),
    session: DEFAULT_SESSION,
    migrations: await loadMigrations(dir),
    lockWaitMs: 10_000,
    retry: { ...DEFAULT_RETRY, baseDelayMs: 50 },
    log: () => undefined,
  };
}

/** The legacy schema as production has it (the baseline only). */
export async function legacySchema(t: TestDatabase): Promise<void> {
  await migrateUp(await runnerDepsFor(t), { to: BASELINE });
}

/** Every migration: the fixed schema. */
export async function fixedSchema(t: TestDatabase): Promise<void> {
  await migrateUp(await runnerDepsFor(t), {});
}
