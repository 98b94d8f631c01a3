/**
 * Turns a migration statement into the exact SQL that runs, against the live catalog, just
 * before it runs (and for `migrate plan`, against the catalog as it is now):
 *
 * - `:"name"` / `:'name'` (psql's syntax) become a quoted identifier / literal (a list: a
 *   comma-separated list of them), from the migration variables (names defined once in code, src/migrate/variables.ts) or from a row;
 *   `:{name}` becomes the key words of a clause a row spelled out (see substituteClauses);
 * - a statement whose comments say `-- bookops:each <sql file> [key=value ...] [filter=<column>]`
 *   is repeated once per row of that catalog query (sql/catalog) (only rows whose boolean <column> is
 *   true, with filter=), zero rows meaning nothing to do: a constraint is found by its columns
 *   in pg_constraint whatever its name;
 * - `CREATE INDEX CONCURRENTLY <name>` is checked against pg_index: a valid index of that name
 *   means the statement already ran; an INVALID leftover of a failed build is dropped first;
 * - with a HandMadeContext, objects built by hand are adopted or replaced on purpose, and down
 *   keeps or restores them (src/migrate/hand-made.ts).
 */
import { catalogRows, indexState } from '../data/catalog.repository.js';
import * as migrateData from '../data/migrate.repository.js';
import { quoteIdent, quoteLiteral } from '../data/quote.js';
import type { Db } from '../data/sql.js';
import { DatabaseError, UsageError } from '../errors.js';
import { handMade, type HandMadeContext } from './hand-made.js';
import type { RenderedStatement } from './rendered-statement.js';
import type { SqlStatement } from './split-statements.js';
import { stripComments } from './split-statements.js';

export type { RenderedStatement } from './rendered-statement.js';

const EACH = /^--\s*bookops:each\s+(\S+)(.*)$/m;
const CONCURRENT_INDEX = /^\s*create\s+(?:unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z0-9_]+)\1\s+on\b/i;

/** A `:{name}` value: SQL key words only (a clause an introspection query spelled out). */
const KEY_WORDS = /^[A-Z]+( [A-Z]+)*$/;

export function substitute(sql: string, values: Record<string, unknown>, where: string): string {
  return substituteClauses(sql, values, where).replace(/(?<!:):(["'])([A-Za-z_][A-Za-z0-9_]*)\1/g, (_m, quote: string, key: string) => {
    if (!(key in values) || values[key] === null || values[key] === undefined) {
      throw new UsageError(`${where}: no value for :${quote}${key}${quote}`);
    }
    const value = values[key];
    // A list becomes a comma-separated list of literals: IN (:'slotActive').
    if (Array.isArray(value)) return value.map((v) => (quote === '"' ? quoteIdent(String(v)) : quoteLiteral(String(v)))).join(', ');
    return quote === '"' ? quoteIdent(String(value)) : quoteLiteral(String(value));
  });
}

/**
 * `:{name}` is put in as it is, for the few clauses no identifier or literal can carry (a foreign
 * key's MATCH, ON UPDATE and DEFERRABLE, kept when migration 0005 swaps the key): only upper-case
 * SQL key words are accepted, so nothing but a clause spelled out by a catalog query gets in.
 */
function substituteClauses(sql: string, values: Record<string, unknown>, where: string): string {
  return sql.replace(/:\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_m, key: string) => {
    const value = values[key];
    if (typeof value !== 'string' || !KEY_WORDS.test(value)) {
      throw new UsageError(`${where}: :{${key}} must be SQL key words, got ${JSON.stringify(value ?? null)}`);
    }
    return value;
  });
}

function parseArgs(text: string): Record<string, string> {
  const args: Record<string, string> = {};
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const [key, ...rest] = pair.split('=');
    args[key] = rest.join('=');
  }
  return args;
}

export async function renderStatement(
  db: Db,
  stmt: SqlStatement,
  vars: Record<string, unknown>,
  where: string,
  ctx?: HandMadeContext,
): Promise<RenderedStatement[]> {
  const at = `${where}:${stmt.line}`;
  const each = EACH.exec(stmt.sql);
  let expanded: string[];
  let note: string | undefined;
  if (each) {
    const { filter, ...args } = parseArgs(substitute(each[2], vars, at).replace(/"/g, ''));
    // An index built by hand that this run adopted in place of ours is kept like ours.
    const adopted = args.keep ? ctx?.adopted.get(args.keep) : undefined;
    if (adopted) args.keep = `${args.keep},${adopted}`;
    const rows = (await catalogRows(db, each[1], args)).filter((row) => !filter || row[filter] === true);
    expanded = rows.map((row) => substitute(stmt.sql, { ...vars, ...row }, at));
    if (rows.length === 0) note = `${at}: no rows from ${each[1]}`;
  } else {
    expanded = [substitute(stmt.sql, vars, at)];
  }
  const rendered: RenderedStatement[] = [];
  for (const sql of expanded) {
    const decided = ctx ? await handMade(db, sql, ctx) : undefined;
    if (!decided) rendered.push(...(await guardConcurrentIndex(db, sql)));
    // A statement decided about (adopted, replaced, a leftover dropped first) still gets the guard.
    else for (const d of decided) rendered.push(...(d.kind || !concurrentIndexName(d.sql) ? [d] : await guardConcurrentIndex(db, d.sql)));
  }
  if (rendered.length === 0 && note) return [{ sql: `-- ${note}`, note, kind: 'no-rows' }];
  return rendered;
}

/** The index a `CREATE INDEX CONCURRENTLY` statement builds, or undefined for any other statement. */
export function concurrentIndexName(sql: string): string | undefined {
  return CONCURRENT_INDEX.exec(stripComments(sql))?.[2];
}

/**
 * Runs a `CREATE INDEX CONCURRENTLY` (one attempt of it: a lock-timeout retry calls this again).
 * A build that fails, by a lock timeout while it waits for older transactions among others,
 * leaves an INVALID index behind, which `IF NOT EXISTS` would then take as done: so an INVALID
 * index of that name is dropped before each attempt, and the index must be valid after it.
 */
export async function buildConcurrentIndex<T>(db: Db, name: string, send: () => Promise<T>): Promise<T> {
  if ((await indexState(db, name))?.valid === false) await migrateData.execute(db, migrateData.migrationStatement(`drop of the INVALID index ${name}`, dropInvalidIndex(name)));
  const result = await send();
  const state = await indexState(db, name);
  if (!state?.valid) {
    throw new DatabaseError(`index ${name} is ${state ? 'INVALID' : 'missing'} after CREATE INDEX CONCURRENTLY: the migration stops here`, {
      hint: 'run migrate up again: it drops the leftover and rebuilds it',
    });
  }
  return result;
}

/** What drops the INVALID leftover of a failed build of `name`. */
function dropInvalidIndex(name: string): string {
  return `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(name)}`;
}

async function guardConcurrentIndex(db: Db, sql: string): Promise<RenderedStatement[]> {
  const name = concurrentIndexName(sql);
  if (!name) return [{ sql }];
  const existing = await indexState(db, name);
  if (!existing) return [{ sql }];
  if (existing.valid) {
    const note = `index ${name} already exists and is valid: skipped`;
    return [{ sql: `-- ${note}`, note, kind: 'index-valid' }];
  }
  return [
    {
      sql: dropInvalidIndex(name),
      note: `index ${name} is INVALID (an interrupted build): dropped and rebuilt`,
      kind: 'index-invalid',
    },
    { sql },
  ];
}

/** True when a rendered statement is only a comment: nothing to send. */
export function isCommentOnly(sql: string): boolean {
  return stripComments(sql).trim() === '';
}
