/**
 * SQL of any length lives in sql/<area>/<name>.sql with named parameters (:slotId), run through
 * Knex's named bindings. When Postgres rejects a statement, the error carries the file and line
 * (from pg's character `position`), so a broken query points at its source.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { projectRoot } from '../embedded/paths.js';

const cache = new Map<string, string>();

export function sqlText(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    // Whole-line comments are blanked (keeping line numbers): a :param named in a comment would
    // otherwise become a bind parameter that Postgres cannot type.
    text = readFileSync(join(projectRoot(), 'sql', `${name}.sql`), 'utf8')
      .replace(/^[ \t]*--.*$/gm, '')
      .trim()
      .replace(/;\s*$/, '');
    cache.set(name, text);
  }
  return text;
}

export type SqlParams = Record<string, unknown>;

interface LocatedError {
  position?: string;
  sqlFile?: string;
  originalMessage?: string;
  message: string;
}

/** Runs sql/<name>.sql and returns its rows. */
export async function runSql<T = Record<string, unknown>>(
  db: Knex | Knex.Transaction,
  name: string,
  params: SqlParams = {},
): Promise<T[]> {
  const text = sqlText(name);
  try {
    // Knex turns every `?` into a bind placeholder, even in a string literal or a jsonb
    // operator; `\?` is its escape for a literal one.
    const result = await db.raw(text.replace(/\?/g, '\\?'), params as Knex.ValueDict);
    return (result.rows ?? []) as T[];
  } catch (err) {
    locate(err as LocatedError, name, text);
    throw err;
  }
}

/** Adds `sqlFile` = "sql/<name>.sql:<line>" to a database error. */
function locate(err: LocatedError, name: string, text: string): void {
  if (!err || typeof err !== 'object') return;
  const position = Number(err.position);
  const line = Number.isFinite(position) && position > 0 ? text.slice(0, position - 1).split('\n').length : undefined;
  err.sqlFile = `sql/${name}.sql${line ? `:${line}` : ''}`;
}
