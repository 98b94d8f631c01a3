import { join } from 'node:path';
import type { Context } from '../../cli/context.js';
import { projectRoot } from '../../embedded/paths.js';
import { loadMigrations, type MigrationFile } from '../../migrate/migration-file.js';
import { DEFAULT_RETRY } from '../../migrate/retry.js';
import type { RunnerDeps } from '../../migrate/runner.js';

export interface RunnerOptions {
  migrationsDir?: string;
  lockWait?: number;
  retries?: number;
}

export function migrationsDir(dir?: string): string {
  return dir ?? join(projectRoot(), 'migrations');
}

export function loadFiles(opts: RunnerOptions): Promise<MigrationFile[]> {
  return loadMigrations(migrationsDir(opts.migrationsDir));
}

export async function runnerDeps(ctx: Context, opts: RunnerOptions): Promise<RunnerDeps> {
  const [migrations, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  return {
    db,
    target,
    session: ctx.session,
    migrations,
    lockWaitMs: opts.lockWait ?? 60_000,
    retry: { ...DEFAULT_RETRY, attempts: opts.retries ?? DEFAULT_RETRY.attempts },
    log: (line) => ctx.out.info(line),
    onStatement: (migration, sql, note, kind) => {
      if (note && kind !== 'no-rows') ctx.out.info(`  ${note}`);
      else if (note) ctx.out.debug(`  ${note}`);
      if (sql) ctx.out.debug(`  ${migration.name}: ${sql.replace(/\s+/g, ' ').slice(0, 200)}`);
    },
  };
}
