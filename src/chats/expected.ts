/**
 * What the chat objects should look like, read from the migration that creates them (not from a
 * second copy here): the statements that create CHAT_OBJECTS' names are found in the migrations'
 * up sections, rendered with the same variables the runner uses, and parsed into a function body
 * and trigger attributes (timing, events, UPDATE OF columns, FOR EACH ROW, WHEN condition, table,
 * function).
 * The last migration that defines an object wins, as it does in the database.
 */
import type { MigrationFile } from '../migrate/migration-file.js';
import { substitute } from '../migrate/render.js';
import { stripComments } from '../migrate/split-statements.js';
import { MIGRATION_VARIABLES } from '../migrate/variables.js';
import { CHAT_OBJECTS } from '../platform/chat-objects.js';
import { whenClause } from './when-condition.js';

export type ChatObjectKey = keyof typeof CHAT_OBJECTS;
export const FUNCTION_KEYS: ChatObjectKey[] = ['triggerFunction', 'backfillFunction'];
export const TRIGGER_KEYS: ChatObjectKey[] = ['insertTrigger', 'updateTrigger'];

export interface ExpectedFunction {
  kind: 'function';
  name: string;
  /** The dollar-quoted body as the migration sends it; undefined when not dollar-quoted. */
  body?: string;
  /** Its SET clauses (`search_path=public, pg_temp`), normalised by normalizeSetting. */
  settings: string[];
  /** migrations/<file>:<line> */
  source: string;
  /** The migration's file name. */
  migration: string;
}

export interface ExpectedTrigger {
  kind: 'trigger';
  name: string;
  table: string;
  timing: string;
  events: string[];
  updateColumns: string[];
  forEachRow: boolean;
  /** The WHEN condition as the migration writes it (compared in canonical form), or undefined. */
  when?: string;
  functionName: string;
  source: string;
  migration: string;
}

export type ExpectedChatObjects = Partial<Record<ChatObjectKey, ExpectedFunction | ExpectedTrigger>>;

const IDENT = String.raw`(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const QUALIFIED = String.raw`(?:${IDENT}\s*\.\s*)?(${IDENT})`;
const FUNCTION_RE = new RegExp(String.raw`^\s*create\s+(?:or\s+replace\s+)?function\s+${QUALIFIED}\s*\(`, 'i');
const TRIGGER_RE = new RegExp(
  String.raw`^\s*create\s+(?:or\s+replace\s+)?(?:constraint\s+)?trigger\s+(${IDENT})\s+(before|after|instead\s+of)\s+([\s\S]+?)\s+on\s+${QUALIFIED}([\s\S]*?)\bexecute\s+(?:function|procedure)\s+${QUALIFIED}\s*\(`,
  'i',
);
const DOLLAR_BODY = /(\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$)([\s\S]*?)\1/;

export function unquote(identifier: string): string {
  return identifier.startsWith('"') ? identifier.slice(1, -1).replace(/""/g, '"') : identifier.toLowerCase();
}

const VALUE = String.raw`(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[^\s,;'"]+)`;
const SET_CLAUSE = new RegExp(String.raw`\bset\s+([A-Za-z_][A-Za-z0-9_.]*)\s*(?:=|\bto\b)\s*(${VALUE}(?:\s*,\s*${VALUE})*)`, 'gi');

/**
 * One function setting as `name=value, value`, quotes taken off, for comparing the migration's
 * `SET search_path = "public", pg_temp` with what pg_proc.proconfig keeps (`search_path=public,
 * pg_temp`; a name that needs quotes is kept quoted there).
 */
export function normalizeSetting(name: string, value: string): string {
  const items = value.match(new RegExp(VALUE, 'g')) ?? [];
  const plain = items.map((v) => (v.startsWith('"') ? v.slice(1, -1).replace(/""/g, '"') : v.startsWith("'") ? v.slice(1, -1).replace(/''/g, "'") : v.toLowerCase()));
  return `${name.toLowerCase()}=${plain.join(', ')}`;
}

/** The SET clauses of a CREATE FUNCTION statement (its body taken out first). */
function functionSettings(code: string): string[] {
  const header = code.replace(DOLLAR_BODY, '');
  return [...header.matchAll(SET_CLAUSE)].map((m) => normalizeSetting(m[1], m[2])).sort();
}

/** Whitespace-insensitive form of a function body, for comparison with pg_proc.prosrc. */
export function normalizeBody(body: string): string {
  return body.replace(/\s+/g, ' ').trim();
}

function parseEvents(text: string): { events: string[]; updateColumns: string[] } {
  const events: string[] = [];
  const updateColumns: string[] = [];
  for (const part of text.split(/\s+or\s+/i)) {
    const update = /^update(?:\s+of\s+([\s\S]+))?$/i.exec(part.trim());
    if (update) {
      events.push('UPDATE');
      if (update[1]) updateColumns.push(...update[1].split(',').map((c) => unquote(c.trim())));
    } else {
      events.push(part.trim().toUpperCase());
    }
  }
  return { events: events.sort(), updateColumns: updateColumns.sort() };
}

/**
 * `runtime`: the values a statement takes from an introspection row as it runs (`schema`, the
 * schema the migration runs in, for the functions' pinned search_path): the caller reads them
 * from the database being checked.
 */
export function expectedChatObjects(migrations: MigrationFile[], runtime: Record<string, string> = {}): ExpectedChatObjects {
  const byName = new Map<string, ChatObjectKey>();
  for (const [key, name] of Object.entries(CHAT_OBJECTS)) byName.set(name, key as ChatObjectKey);
  const expected: ExpectedChatObjects = {};
  for (const migration of migrations) {
    for (const statement of migration.up) {
      const where = `migrations/${migration.name}:${statement.line}`;
      let sql: string;
      try {
        sql = substitute(statement.sql, { ...MIGRATION_VARIABLES, ...runtime }, where);
      } catch {
        continue; // a statement with other row variables (bookops:each) creates no chat object
      }
      const code = stripComments(sql);
      const fn = FUNCTION_RE.exec(code);
      if (fn) {
        const key = byName.get(unquote(fn[1]));
        if (key && FUNCTION_KEYS.includes(key)) {
          expected[key] = { kind: 'function', name: CHAT_OBJECTS[key], body: DOLLAR_BODY.exec(sql)?.[2], settings: functionSettings(code), source: where, migration: migration.name };
        }
        continue;
      }
      const trg = TRIGGER_RE.exec(code);
      if (trg) {
        const key = byName.get(unquote(trg[1]));
        if (key && TRIGGER_KEYS.includes(key)) {
          expected[key] = {
            kind: 'trigger',
            name: CHAT_OBJECTS[key],
            timing: trg[2].replace(/\s+/g, ' ').toUpperCase(),
            ...parseEvents(trg[3]),
            table: unquote(trg[4]),
            forEachRow: /\bfor\s+each\s+row\b/i.test(trg[5]),
            when: whenClause(trg[5]),
            functionName: unquote(trg[6]),
            source: where,
            migration: migration.name,
          };
        }
      }
    }
  }
  return expected;
}
