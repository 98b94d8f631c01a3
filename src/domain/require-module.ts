/** A repair or support action needs its module's tables: refused (AbsentTablesError, exit 7) when they are absent. */
import { presentModules } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { AbsentTablesError } from '../errors.js';
import { MODULES, type ModuleName } from '../platform/modules.js';

/** Refuses (exit 7, the schema is not what bookops expects) when a module's tables are absent. */
export async function requireModule(db: Db, module: ModuleName): Promise<void> {
  if (!(await presentModules(db)).includes(module)) {
    throw new AbsentTablesError(`the ${module} module is not in this database (tables ${MODULES[module].join(', ')}); nothing was changed`, MODULES[module]);
  }
}
