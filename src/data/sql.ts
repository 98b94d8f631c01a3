/**
 * The one loader of SQL. Queries live in sql/<area>/<topic>.sql as named blocks, pgtyped's style:
 *
 *   -- name: lock-slot
 *   -- Locks one slot for a decision about it.      (comment lines: the query's documentation)
 *   SELECT ... WHERE s.id = :slotId FOR NO KEY UPDATE OF s;
 *
 * A block is referred to as '<area>/<name>' (names are unique within an area). Parameters are
 * named (:slotId) and bound by Knex; the platform vocabulary (:slotActive, :outboxPending, ...,
 * src/platform/vocabulary.ts) is bound to every query, so no caller passes a status list.
 *
 * A block may include another one with {{name}} (same area) or {{area/name}}: a predicate is
 * written once and every query that needs it includes it (the stale-log rule, say, in the audit's
 * count, the repair's plan and the migration's preflight). A caller of the data layer may fill a
 * slot with another Sql value ({{where}} of the archive's statements); only this module and the
 * repositories make Sql values, so no text from outside ever becomes SQL.
 *
 * When Postgres rejects a statement, the error carries the file and line it came from.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Knex } from 'knex';
import { sqlDir } from '../paths.js';
import { VOCABULARY } from '../platform/vocabulary.js';
import { quoteIdent, quoteLiteral } from './quote.js';

export type Db = Knex | Knex.Transaction;
export type SqlParams = Record<string, unknown>;

/** Where each line of a text comes from: "sql/recruiting/slots.sql:12". */
type LineMap = string[];

export interface Sql {
  /** area/name of the block, or a description of a composed value. */
  readonly ref: string;
  readonly text: string;
  /** Source of each line of text (for errors). */
  readonly lines: LineMap;
}

/** A statement as it runs: its SQL and its parameters (the vocabulary is added when it runs). */
export interface Statement {
  sql: Sql;
  params: SqlParams;
}

interface Block {
  name: string;
  file: string;
  /** Line of the block's first text line in its file (1-based). */
  line: number;
  text: string;
}

const areas = new Map<string, Map<string, Block>>();

const NAME = /^--\s*name:\s*([a-z0-9][a-z0-9.-]*)\s*$/;

/** Reads every sql/<area>/*.sql once: its named blocks, comment lines blanked (line numbers kept). */
function loadArea(area: string): Map<string, Block> {
  let blocks = areas.get(area);
  if (blocks) return blocks;
  blocks = new Map();
  const dir = join(sqlDir(), area);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
    const path = `sql/${area}/${file}`;
    const lines = readFileSync(join(dir, file), 'utf8').replace(/\r\n/g, '\n').split('\n');
    let current: { name: string; start: number; body: string[] } | undefined;
    const close = () => {
      if (!current) return;
      if (blocks!.has(current.name)) throw new Error(`${path}: a second block named ${current.name} in sql/${area}`);
      // Whole-line comments are blanked, not removed: a :param named in a comment would become a
      // bind parameter, and the line numbers must stay for error messages.
      const text = current.body
        .map((l) => (/^\s*--/.test(l) ? '' : l))
        .join('\n')
        .replace(/\s+$/, '')
        .replace(/;$/, '');
      const leading = text.length - text.replace(/^\n+/, '').length;
      blocks!.set(current.name, { name: current.name, file: path, line: current.start + leading, text: text.replace(/^\n+/, '') });
    };
    lines.forEach((line, index) => {
      const named = NAME.exec(line);
      if (named) {
        close();
        current = { name: named[1], start: index + 2, body: [] };
      } else if (current) {
        current.body.push(line);
      }
    });
    close();
  }
  areas.set(area, blocks);
  return blocks;
}

function block(ref: string): Block {
  const slash = ref.indexOf('/');
  if (slash <= 0) throw new Error(`SQL reference '${ref}' is not <area>/<name>`);
  const found = loadArea(ref.slice(0, slash)).get(ref.slice(slash + 1));
  if (!found) throw new Error(`no SQL block ${ref.slice(slash + 1)} in sql/${ref.slice(0, slash)}`);
  return found;
}

const INCLUDE = /\{\{\s*([A-Za-z0-9][A-Za-z0-9./-]*)\s*\}\}/g;

/**
 * The one block a block reads its rows from, as `FROM ({{name}})` (a rule's `-count` block over
 * the rule), as written there; undefined when it reads none or several.
 */
export function rowSource(ref: string): string | undefined {
  const found = [...block(ref).text.matchAll(/FROM\s*\(\s*\{\{\s*([A-Za-z0-9][A-Za-z0-9./-]*)\s*\}\}\s*\)/g)].map((m) => m[1]);
  return found.length === 1 ? found[0] : undefined;
}

/**
 * The named block `area/name`, its {{includes}} resolved: slots given here first, then blocks of
 * the same area (or `{{other-area/name}}`).
 */
export function sql(ref: string, slots: Record<string, Sql> = {}): Sql {
  const q = expand(ref, slots, []);
  if (q.text.includes('{{')) throw new Error(`${ref}: an include that names no block or slot: ${/\{\{[^}]*\}\}/.exec(q.text)?.[0]}`);
  return q;
}

/** An Sql value; in JSON (a plan printed with --json) it shows as its reference. */
function make(ref: string, text: string, lines: LineMap): Sql {
  const value = { ref, text, lines };
  Object.defineProperty(value, 'toJSON', { value: () => ref, enumerable: false });
  return value;
}

function expand(ref: string, slots: Record<string, Sql>, seen: string[]): Sql {
  if (seen.includes(ref)) throw new Error(`SQL include cycle: ${[...seen, ref].join(' -> ')}`);
  const b = block(ref);
  const area = ref.slice(0, ref.indexOf('/'));
  const lines: LineMap = [];
  const out: string[] = [];
  b.text.split('\n').forEach((line, i) => {
    const origin = `${b.file}:${b.line + i}`;
    let text = '';
    let last = 0;
    let extra: LineMap = [];
    for (const m of line.matchAll(INCLUDE)) {
      const name = m[1];
      const part = slots[name] ?? expand(name.includes('/') ? name : `${area}/${name}`, slots, [...seen, ref]);
      text += line.slice(last, m.index) + part.text;
      // The included text's first line continues this one; its other lines keep their own origin.
      extra = [...extra, ...part.lines.slice(1)];
      last = m.index! + m[0].length;
    }
    text += line.slice(last);
    out.push(text);
    lines.push(origin, ...extra);
  });
  return make(ref, out.join('\n'), lines);
}

/**
 * A statement read from a migration file (a reviewed SQL file of its own, migrations/): `where`
 * is its file and line, for errors.
 */
export function fromMigration(where: string, text: string): Sql {
  return make(where, text, text.split('\n').map((_, i) => where.replace(/:(\d+)$/, (_m, line: string) => `:${Number(line) + i}`)));
}

/** A quoted identifier with an alias in front ("t"."id"), or any prefix of our own. */
export function qualified(prefix: string, name: string): Sql {
  return make(`identifier ${prefix}.${name}`, `${prefix}.${quoteIdent(name)}`, ['(identifier)']);
}

/** A quoted identifier (a table or column name read from the catalog or from our own code). */
export function identifier(name: string): Sql {
  return make(`identifier ${name}`, quoteIdent(name), ['(identifier)']);
}

/**
 * One column of a row's jsonb image, as a value of its type (`CAST(a.row_data ->> 'id' AS integer)`):
 * `type` as format_type names it in the catalog. Only that column is read, so a key compared
 * with it can use the table's index, and no other value of the image is checked against its type.
 */
export function imageColumn(image: string, column: string, type: string): Sql {
  return make(`image column ${column}`, `CAST(${image} ->> ${quoteLiteral(column)} AS ${type})`, ['(image column)']);
}

/** Sql values joined into one (a column list, say). */
export function joined(parts: Sql[], separator = ', '): Sql {
  return make('list', parts.map((p) => p.text).join(separator), [parts.map((p) => p.ref).join(separator)]);
}

/** Knex turns every `?` into a bind placeholder, even in a string literal or a jsonb operator; `\?` is its escape. */
function knexText(q: Sql): string {
  return q.text.replace(/\?/g, '\\?');
}

function bindings(params: SqlParams): Knex.ValueDict {
  return { ...VOCABULARY, ...params } as Knex.ValueDict;
}

export interface RunResult<T> {
  rows: T[];
  rowCount: number;
}

/** Runs a statement; rows and the count of rows it touched. */
export async function run<T = Record<string, unknown>>(db: Db, q: Sql, params: SqlParams = {}): Promise<RunResult<T>> {
  try {
    const result = await db.raw(knexText(q), bindings(params));
    return { rows: (result.rows ?? []) as T[], rowCount: result.rowCount ?? 0 };
  } catch (err) {
    locate(err as LocatedError, q);
    throw err;
  }
}

/**
 * Runs a statement as it is, with no parameters at all (a migration's statements and DDL): no
 * text in it is ever taken for a parameter.
 */
export async function runPlain(db: Db, q: Sql): Promise<RunResult<Record<string, unknown>>> {
  try {
    const result = await db.raw(knexText(q));
    return { rows: result.rows ?? [], rowCount: result.rowCount ?? 0 };
  } catch (err) {
    locate(err as LocatedError, q);
    throw err;
  }
}

/** Runs a query and returns its rows. */
export async function rows<T = Record<string, unknown>>(db: Db, q: Sql, params: SqlParams = {}): Promise<T[]> {
  return (await run<T>(db, q, params)).rows;
}

/** The first row, or undefined. */
export async function first<T = Record<string, unknown>>(db: Db, q: Sql, params: SqlParams = {}): Promise<T | undefined> {
  return (await rows<T>(db, q, params))[0];
}

/** A statement exactly as the driver receives it: $n placeholders and their values, in order. */
export interface NativeStatement {
  sql: string;
  bindings: unknown[];
}

/** What a statement becomes on the wire (what --dry-run prints, and --verbose logs as it runs). */
export function native(db: Db, statement: Statement): NativeStatement {
  const compiled = db.raw(knexText(statement.sql), bindings(statement.params)).toSQL().toNative();
  return { sql: compiled.sql, bindings: [...compiled.bindings] };
}

export function runStatement<T = Record<string, unknown>>(db: Db, statement: Statement): Promise<RunResult<T>> {
  return run<T>(db, statement.sql, statement.params);
}

interface LocatedError {
  position?: string;
  sqlFile?: string;
  message: string;
}

/** Adds `sqlFile` = "sql/<area>/<file>.sql:<line>" to a database error, from pg's character position. */
function locate(err: LocatedError, q: Sql): void {
  if (!err || typeof err !== 'object') return;
  const position = Number(err.position);
  // Knex replaces :name by $n, which changes columns but never lines.
  const line = Number.isFinite(position) && position > 0 ? q.text.slice(0, position - 1).split('\n').length : undefined;
  err.sqlFile = line ? (q.lines[line - 1] ?? q.ref) : (q.lines[0]?.replace(/:\d+$/, '') ?? q.ref);
}
