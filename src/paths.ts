/**
 * Where the package's own files are: the package folder, its sql/ and migrations/. One small
 * module at the bottom, so the data layer and the embedded cluster both read it without
 * importing each other.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The bookops package folder (where package.json lives), found from this compiled file. */
export function projectRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the bookops package folder');
    dir = parent;
  }
  return (root = dir);
}

/** The named queries: sql/<area>/<topic>.sql. */
export function sqlDir(): string {
  return join(projectRoot(), 'sql');
}

/** The migrations folder: --migrations-dir / BOOKOPS_MIGRATIONS_DIR, else the one shipped with bookops. */
export function migrationsDir(dir?: string): string {
  return dir ?? join(projectRoot(), 'migrations');
}
