/** What the migration runner needs from a command's context: the database, the target, and where to log. */
import type { RunnerDeps } from '../migrate/runner.js';
import { loadMigrations, type MigrationFile } from '../migrate/migration-file.js';
import { DEFAULT_RETRY } from '../migrate/retry.js';
import { migrationsDir } from '../paths.js';
import type { Context } from './context.js';

export interface RunnerOptions {
  migrationsDir?: string;
  lockWait?: number;
  retries?: number;
  /** Where the runner's lines go (default: stderr as messages); a step of a bigger run sends them to its progress line. */
  log?: (line: string) => void;
}

export function loadFiles(opts: RunnerOptions): Promise<MigrationFile[]> {
  return loadMigrations(migrationsDir(opts.migrationsDir));
}

export async function runnerDeps(ctx: Context, opts: RunnerOptions): Promise<RunnerDeps> {
  const [migrations, db, target] = await Promise.all([loadFiles(opts), ctx.db(), ctx.target()]);
  const log = opts.log ?? ((line: string) => ctx.out.info(line));
  return {
    db,
    target,
    session: ctx.session,
    migrations,
    lockWaitMs: opts.lockWait ?? 60_000,
    retry: { ...DEFAULT_RETRY, attempts: opts.retries ?? DEFAULT_RETRY.attempts },
    log,
    onStatement: (migration, sql, note, kind) => {
      if (note && kind !== 'no-rows') log(`  ${note}`);
      else if (note) ctx.out.debug(`  ${note}`);
      if (sql) ctx.out.debug(`  ${migration.name}: ${sql.replace(/\s+/g, ' ').slice(0, 200)}`);
    },
  };
}
