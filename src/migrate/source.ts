/**
 * Our .sql files as a Knex migration source. Knex's migrator does the bookkeeping (which ran,
 * in which batch, transaction per migration unless the file says transaction:false); we supply
 * up/down functions that send the rendered statements one per query.
 */
import type { Knex } from 'knex';
import { runSql } from '../data/sql-files.js';
import type { MigrationFile } from './migration-file.js';
import { isCommentOnly, renderStatement } from './render.js';
import { withLockRetry, type RetryOptions } from './retry.js';
import { MIGRATION_VARIABLES } from './variables.js';

export interface ExecutionHooks {
  /** Called before each statement is sent. */
  onStatement?: (migration: MigrationFile, sql: string, note?: string) => void;
  retry: RetryOptions;
}

/** Knex turns `?` into bindings even in raw SQL without bindings; `\?` is its escape. */
function escapeKnexPlaceholders(sql: string): string {
  return sql.replace(/\?/g, '\\?');
}

export async function executeSection(
  db: Knex | Knex.Transaction,
  migration: MigrationFile,
  direction: 'up' | 'down',
  hooks: ExecutionHooks,
): Promise<void> {
  const statements = direction === 'up' ? migration.up : (migration.down ?? []);
  const inTransaction = migration.transactional;
  for (const statement of statements) {
    // Rendered just before it runs: earlier statements change what the catalog says.
    const rendered = await renderStatement(db, statement, MIGRATION_VARIABLES, `migrations/${migration.name}`);
    for (const { sql, note } of rendered) {
      hooks.onStatement?.(migration, sql, note);
      if (isCommentOnly(sql)) continue;
      const send = () => db.raw(escapeKnexPlaceholders(sql));
      // Inside a transaction a lock timeout aborts the whole transaction: the runner retries the
      // migration as a whole. Outside one, the single statement is retried.
      await (inTransaction ? send() : withLockRetry(send, hooks.retry));
    }
  }
  if (direction === 'up') await runSql(db, 'migrate/record-checksum', { name: migration.name, checksum: migration.checksum });
  else await db('bookops_migration_checksums').where({ name: migration.name }).del();
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
