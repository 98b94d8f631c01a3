/**
 * Facts about the database a check adapts to, read from the catalog and cached for one audit
 * (methods take the connection or savepoint to read with):
 * which modules are present (and which tables are missing), the server version, the columns of
 * a table. Never assumed from names we chose: other databases name constraints differently.
 */
import type { Knex } from 'knex';
import { runSql } from '../data/sql-files.js';
import { completeModules, MODULE_NAMES, MODULES, platformTables, type ModuleName } from '../domain/modules.js';
import { loadMigrations, type MigrationFile } from '../migrate/migration-file.js';

type Db = Knex | Knex.Transaction;

export interface ModulePresence {
  present: ModuleName[];
  /** Absent modules (some table missing) and the tables of each that were not found. */
  absent: Record<string, string[]>;
  /** The platform tables that exist. */
  tables: string[];
}

export class Catalog {
  private columnsCache = new Map<string, Promise<Set<string>>>();
  private versionPromise?: Promise<number>;
  readonly migrationFiles = new MigrationFiles();

  async modules(db: Db): Promise<ModulePresence> {
    const tables = await platformTables(db);
    const present = completeModules(tables);
    const absent: Record<string, string[]> = {};
    for (const m of MODULE_NAMES) if (!present.includes(m)) absent[m] = MODULES[m].filter((t) => !tables.includes(t));
    return { present, absent, tables };
  }

  /** server_version_num, e.g. 150020. */
  serverVersion(db: Db): Promise<number> {
    this.versionPromise ??= db
      .raw("SELECT current_setting('server_version_num')::int AS v")
      .then((r: { rows: Array<{ v: number }> }) => r.rows[0].v);
    return this.versionPromise;
  }

  async hasColumn(db: Db, table: string, column: string): Promise<boolean> {
    let cols = this.columnsCache.get(table);
    if (!cols) {
      cols = runSql<{ name: string }>(db, 'audit/columns', { tableName: table }).then((rows) => new Set(rows.map((r) => r.name)));
      this.columnsCache.set(table, cols);
    }
    return (await cols).has(column);
  }
}

/** Migration files, read once per audit (schema.pending-migrations and schema.chat-trigger). */
export class MigrationFiles {
  private cache = new Map<string, Promise<MigrationFile[]>>();

  load(dir: string): Promise<MigrationFile[]> {
    let files = this.cache.get(dir);
    if (!files) {
      files = loadMigrations(dir);
      this.cache.set(dir, files);
    }
    return files;
  }
}
