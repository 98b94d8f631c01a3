/**
 * Facts about the database a check adapts to, read once per audit: which modules are present
 * (and which tables are missing), and the migration files the schema checks compare with. Never
 * assumed from names we chose: other databases name constraints differently.
 */
import { platformTables } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { loadMigrations, type MigrationFile } from '../migrate/migration-file.js';
import { completeModules, MODULE_NAMES, MODULES, type ModuleName } from '../platform/modules.js';

export interface ModulePresence {
  present: ModuleName[];
  /** Absent modules (some table missing) and the tables of each that were not found. */
  absent: Record<string, string[]>;
  /** The platform tables that exist. */
  tables: string[];
}

export class Catalog {
  readonly migrationFiles = new MigrationFiles();

  async modules(db: Db): Promise<ModulePresence> {
    const tables = await platformTables(db);
    const present = completeModules(tables);
    const absent: Record<string, string[]> = {};
    for (const m of MODULE_NAMES) if (!present.includes(m)) absent[m] = MODULES[m].filter((t) => !tables.includes(t));
    return { present, absent, tables };
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
