/** A repair or support action needs its module's tables: refused (AbsentTablesError, exit 7) when they are absent. */
import { existingTables } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { AbsentTablesError } from '../errors.js';
import { MODULES, type ModuleName } from '../platform/modules.js';

/**
 * Refuses (exit 7, the schema is not what bookops expects) when any of a module's tables is
 * absent, naming those that are (a module with one table dropped is not "not in this database").
 * `reads`: a read-only command's check (outbox stats, whatsapp preview-delete), whose refusal does
 * not say "nothing was changed": it never changes anything.
 */
export async function requireModule(db: Db, module: ModuleName, use: 'writes' | 'reads' = 'writes'): Promise<void> {
  const tables = MODULES[module];
  const present = await existingTables(db, tables);
  const absent = tables.filter((t) => !present.includes(t));
  if (absent.length === 0) return;
  const what =
    present.length === 0
      ? `the ${module} module is not in this database (tables ${absent.join(', ')})`
      : `the ${module} module is incomplete in this database: ${absent.length === 1 ? 'table' : 'tables'} ${absent.join(', ')} ${absent.length === 1 ? 'is' : 'are'} absent`;
  throw new AbsentTablesError(use === 'writes' ? `${what}; nothing was changed` : what, absent);
}
