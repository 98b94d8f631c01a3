/**
 * Our .sql files as a Knex migration source. Knex's migrator does the bookkeeping (which ran,
 * in which batch, transaction per migration unless the file says transaction:false); we supply
 * up/down functions that send the rendered statements one per query.
 */
import type { Knex } from 'knex';
import * as migrateData from '../data/migrate.repository.js';
import type { Db } from '../data/sql.js';
import type { MigrationFile } from './migration-file.js';
import { buildConcurrentIndex, concurrentIndexName, isCommentOnly, renderStatement, type RenderedStatement } from './render.js';
import { withLockRetry, type RetryOptions } from './retry.js';
import { MIGRATION_VARIABLES } from './variables.js';
import { handMadeContext, restoreRemaining } from './hand-made.js';
import { missingTables } from './requirements.js';
import { recordedSkip } from './state.js';

export interface ExecutionHooks {
  /** Called before each statement is sent. */
  onStatement?: (migration: MigrationFile, sql: string, note?: string, kind?: RenderedStatement['kind']) => void;
  retry: RetryOptions;
}

const REPEAT = /^--\s*bookops:repeat\b/m;

export async function executeSection(
  db: Db,
  migration: MigrationFile,
  direction: 'up' | 'down',
  hooks: ExecutionHooks,
): Promise<void> {
  const missing = await missingTables(db, migration);
  // A migration recorded without running has nothing to revert, even if its tables came since.
  const neverRan = direction === 'down' ? await recordedSkip(db, migration.name) : null;
  const statements = missing.length || neverRan ? [] : direction === 'up' ? migration.up : (migration.down ?? []);
  if (missing.length) hooks.onStatement?.(migration, '', `skipped: table ${missing.join(', ')} does not exist here`);
  else if (neverRan) hooks.onStatement?.(migration, '', `skipped: it never ran here (no table ${neverRan.join(', ')} then)`);
  const inTransaction = migration.transactional;
  // What this migration's up found built by hand, and (down) what it recorded of it.
  const ctx = handMadeContext(migration.name, direction, direction === 'down' ? await migrateData.recordedObjects(db, migration.name) : []);
  const renderAll = async function* () {
    for (const statement of statements) {
      // Rendered just before it runs: earlier statements change what the catalog says.
      yield { statement, rendered: await renderStatement(db, statement, MIGRATION_VARIABLES, `migrations/${migration.name}`, ctx) };
    }
    // down: the site's objects up dropped, put back once ours are gone.
    if (direction === 'down' && statements.length) yield { statement: { sql: '', line: 0 }, rendered: restoreRemaining(ctx) };
  };
  for await (const { statement, rendered } of renderAll()) {
    for (const { sql, note, kind, record } of rendered) {
      hooks.onStatement?.(migration, sql, note, kind);
      // Recorded before the statement runs: a crash after it must not lose what it decided.
      if (record && direction === 'up') await migrateData.recordObject(db, migration.name, record);
      if (isCommentOnly(sql)) continue;
      const index = concurrentIndexName(sql);
      const raw = () => migrateData.execute(db, migrateData.migrationStatement(`migrations/${migration.name}:${statement.line}`, sql));
      const send = index ? () => buildConcurrentIndex(db, index, raw) : raw;
      // Inside a transaction a lock timeout aborts the whole transaction: the runner retries the
      // migration as a whole. Outside one, the single statement is retried.
      if (inTransaction) await send();
      else if (REPEAT.test(sql)) await repeatUntilDone(migration, send, hooks);
      else await withLockRetry(send, retryLogged(migration, hooks));
    }
  }
  if (direction === 'up') {
    // A skip is recorded with its reason: once those tables exist, up applies the migration after all.
    await migrateData.recordChecksum(db, migration.name, migration.checksum, missing.length ? missing : null);
  } else {
    await migrateData.unrecordChecksum(db, migration.name);
    await migrateData.forgetObjects(db, migration.name);
  }
}

function retryLogged(migration: MigrationFile, hooks: ExecutionHooks): RetryOptions {
  return {
    ...hooks.retry,
    onRetry: (attempt, delayMs) =>
      hooks.onStatement?.(migration, '', `lock_timeout: retrying in ${delayMs}ms (attempt ${attempt + 1} of ${hooks.retry.attempts})`),
  };
}

/**
 * `-- bookops:repeat`: a batched backfill written as one statement that handles one batch
 * (LIMIT) and skips rows already done. It is sent again, each time in its own transaction,
 * until it changes no row, so no transaction is long and a crash resumes where it stopped.
 */
async function repeatUntilDone(migration: MigrationFile, send: () => Promise<{ rowCount?: number }>, hooks: ExecutionHooks) {
  let total = 0;
  for (let batch = 1; ; batch++) {
    const result = await withLockRetry(send, retryLogged(migration, hooks));
    const changed = result.rowCount ?? 0;
    if (changed === 0) break;
    total += changed;
    hooks.onStatement?.(migration, '', `batch ${batch}: ${changed} row(s), ${total} so far`);
  }
}

export class SqlMigrationSource implements Knex.MigrationSource<MigrationFile> {
  constructor(
    private readonly migrations: MigrationFile[],
    private readonly hooks: ExecutionHooks,
  ) {}

  getMigrations(): Promise<MigrationFile[]> {
    return Promise.resolve(this.migrations);
  }

  getMigrationName(migration: MigrationFile): string {
    return migration.name;
  }

  getMigration(migration: MigrationFile): Promise<Knex.Migration> {
    return Promise.resolve({
      config: { transaction: migration.transactional },
      up: (db: Knex) => executeSection(db, migration, 'up', this.hooks),
      down: (db: Knex) => executeSection(db, migration, 'down', this.hooks),
    });
  }
}
