/**
 * Databases on which the write-ups' fixes were applied by hand (wholly, partly, under other names,
 * or half-failed): before a fix migration builds something, it looks for an object that already
 * does the job, and adopts it or replaces it on purpose; its down reverses only what its up did.
 * Each decision is taken while a statement is rendered (src/migrate/render.ts), so `migrate plan`
 * prints exactly what `up` decides, and is recorded by `up` in bookops_migration_objects:
 *
 * - CREATE [UNIQUE] INDEX CONCURRENTLY: a valid index of the same shape under another name (a
 *   unique constraint included; src/migrate/equivalence.ts) is adopted: not built again, and kept
 *   by the statements that drop the old keys (`keep=`); INVALID leftovers of the same shape (a
 *   CREATE INDEX CONCURRENTLY by hand that failed) are dropped first.
 * - ALTER TABLE … ADD COLUMN IF NOT EXISTS: a column that is there already is adopted; one up adds
 *   is recorded as created before the ALTER, so a resumed run still knows it is bookops'.
 * - CREATE OR REPLACE FUNCTION / TRIGGER over an object of the site, and DROP TRIGGER of one: the
 *   old definition is recorded; down puts it back where it would only have dropped ours.
 * - ALTER TABLE … DROP CONSTRAINT of a foreign key on its own (0005: a blocking key beside a
 *   cascading key the site added) is recorded; a VALIDATE of a key the site added is said.
 * - down: a DROP of an adopted object is left out (it was there before up); a DROP of something up
 *   replaced restores the recorded definition instead; site triggers and keys up dropped come
 *   back last.
 */
import { columns, constraintDefinition, functionDefinitions, tableIndexes, triggerDefinition, sameBaseType } from '../data/catalog.repository.js';
import { recordedObjects, type ObjectRecord } from '../data/migrate.repository.js';
import { quoteIdent } from '../data/quote.js';
import type { Db } from '../data/sql.js';
import { RefusedError } from '../errors.js';
import { equivalentIndexes, invalidLikeWanted } from './equivalence.js';
import { sqlComment, type RenderedStatement } from './rendered-statement.js';
import { stripComments } from './split-statements.js';

export interface HandMadeContext {
  migration: string;
  direction: 'up' | 'down';
  /** up: our index name -> the index built by hand adopted in its place, in this run. */
  adopted: Map<string, string>;
  /** down: what up recorded (bookops_migration_objects). */
  records: ObjectRecord[];
  /** down: the records a statement has already used (restored or kept). */
  used: Set<ObjectRecord>;
}

export function handMadeContext(migration: string, direction: 'up' | 'down', records: ObjectRecord[] = []): HandMadeContext {
  return { migration, direction, adopted: new Map(), records, used: new Set() };
}

// Groups: 1 UNIQUE, 3 the index, 5 the table (2 and 4: their optional quotes).
const CREATE_INDEX = /^\s*create\s+(unique\s+)?index\s+concurrently\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z0-9_]+)\2\s+on\s+(?:only\s+)?(?:"?[A-Za-z0-9_]+"?\.)?("?)([A-Za-z0-9_]+)\4\s*(?:using\s+\w+\s*)?\(/i;
const ADD_COLUMN = /^\s*alter\s+table\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s+add\s+column\s+if\s+not\s+exists\s+"?([A-Za-z0-9_]+)"?\s+(.+?)\s*$/is;
const DROP_COLUMN = /^\s*alter\s+table\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s+drop\s+column\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s*$/is;
const DROP_INDEX = /^\s*drop\s+index\s+(?:concurrently\s+)?(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s*$/is;
const REPLACE_FUNCTION = /^\s*create\s+or\s+replace\s+function\s+"?([A-Za-z0-9_]+)"?\s*\(/is;
const DROP_FUNCTION = /^\s*drop\s+function\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s*\(([^)]*)\)\s*$/is;
const REPLACE_TRIGGER = /^\s*create\s+or\s+replace\s+trigger\s+"?([A-Za-z0-9_]+)"?\s[\s\S]*?\bon\s+"?([A-Za-z0-9_]+)"?\s/is;
const QUALIFIED = String.raw`(?:"?([A-Za-z0-9_]+)"?\.)?"?([A-Za-z0-9_]+)"?`;
const DROP_CONSTRAINT = new RegExp(String.raw`^\s*alter\s+table\s+${QUALIFIED}\s+drop\s+constraint\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s*$`, 'is');
const VALIDATE_CONSTRAINT = new RegExp(String.raw`^\s*alter\s+table\s+${QUALIFIED}\s+validate\s+constraint\s+"?([A-Za-z0-9_]+)"?\s*$`, 'is');
const DROP_TRIGGER = /^\s*drop\s+trigger\s+(?:if\s+exists\s+)?"?([A-Za-z0-9_]+)"?\s+on\s+(?:"?[A-Za-z0-9_]+"?\.)?"?([A-Za-z0-9_]+)"?\s*$/is;

/** The text between the bracket opened at `open` and the one that closes it. */
function bracketed(text: string, open: number): { inner: string; end: number } {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')' && --depth === 0) return { inner: text.slice(open + 1, i), end: i };
  }
  return { inner: text.slice(open + 1), end: text.length };
}

/** Splits on commas outside brackets and quotes. */
function topLevelList(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") quoted = !quoted;
    if (quoted) continue;
    if (ch === '(' || ch === '[') depth++;
    if (ch === ')' || ch === ']') depth--;
    if (ch === ',' && depth === 0) (parts.push(text.slice(start, i)), (start = i + 1));
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** What a CREATE INDEX statement builds: its name, table, uniqueness, keys and predicate. */
export function indexOfStatement(sql: string) {
  const text = stripComments(sql);
  const m = CREATE_INDEX.exec(text);
  if (!m) return undefined;
  const { inner, end } = bracketed(text, m.index + m[0].length - 1);
  const nulls = /^\s*nulls\s+(not\s+)?distinct\b/i.exec(text.slice(end + 1));
  const where = /^\s*where\s+([\s\S]+?)\s*$/i.exec(text.slice(end + 1 + (nulls?.[0].length ?? 0)));
  return {
    name: m[3],
    table: m[5],
    unique: Boolean(m[1]),
    keys: topLevelList(inner),
    predicate: where ? where[1] : null,
    nulls_not_distinct: Boolean(nulls?.[1]),
  };
}

/** A function's argument types from its parameter list (`p_after uuid DEFAULT NULL` -> uuid). */
function argumentTypes(list: string): string[] {
  return topLevelList(list).map((arg) => {
    const words = arg.replace(/\s+default\s+[\s\S]*$/i, '').replace(/^(in|out|inout|variadic)\s+/i, '').trim().split(/\s+/);
    return (words.length > 1 ? words.slice(1) : words).join(' ').toLowerCase();
  });
}

const CANONICAL_TYPES: Record<string, string> = { int: 'integer', int4: 'integer', int8: 'bigint', bool: 'boolean', varchar: 'character varying' };
const signature = (name: string, types: string[]) => `${name}(${types.map((t) => CANONICAL_TYPES[t] ?? t).join(', ')})`;

const comment = (note: string, kind: RenderedStatement['kind'], record?: ObjectRecord): RenderedStatement => ({ sql: sqlComment(note), note, kind, ...(record ? { record } : {}) });

/**
 * What replaces `sql` on this database, or undefined when nothing built by hand concerns it (the
 * statement is sent as it is).
 */
export async function handMade(db: Db, sql: string, ctx: HandMadeContext): Promise<RenderedStatement[] | undefined> {
  return ctx.direction === 'up' ? up(db, sql, ctx) : down(sql, ctx);
}

async function up(db: Db, sql: string, ctx: HandMadeContext): Promise<RenderedStatement[] | undefined> {
  const text = stripComments(sql);
  const wanted = indexOfStatement(sql);
  if (wanted) {
    const existing = await tableIndexes(db, wanted.table);
    // Our own index by name: the runner's guard skips or rebuilds it (render.ts).
    if (existing.some((e) => e.index_name === wanted.name)) return undefined;
    const invalid = invalidLikeWanted(wanted, existing);
    const building = invalid.find((e) => e.building_pid !== null);
    if (building) {
      // Dropping it would cancel a build someone started on purpose; building a twin beside it is
      // the second copy this rule exists to prevent. Its outcome decides: adopt it, or drop a failure.
      throw new RefusedError(
        `index ${building.index_name} (like ${wanted.name}) is being built right now by CREATE INDEX CONCURRENTLY (backend pid ${building.building_pid}): wait for it to finish, then run again`,
        { hint: 'pg_stat_progress_create_index shows its progress' },
      );
    }
    const leftovers = invalid.map(
      (e): RenderedStatement => ({
        sql: `DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdent(e.index_name)}`,
        note: `drop: index ${e.index_name} is INVALID (a failed build of an index like ${wanted.name}, by hand or interrupted): dropped, it enforces nothing reliably`,
        kind: 'leftover',
      }),
    );
    const [found] = equivalentIndexes(wanted, existing);
    if (!found) return leftovers.length ? [...leftovers, { sql }] : undefined;
    ctx.adopted.set(wanted.name, found.index_name);
    const what = found.constraint_name ? `constraint ${found.constraint_name}` : `index ${found.index_name}`;
    return [
      ...leftovers,
      comment(`adopt: ${what} (${found.definition}) already does what ${wanted.name} would: kept as it is, not built again`, 'adopted', {
        kind: 'index',
        name: found.index_name,
        action: 'adopted',
        definition: found.definition,
      }),
    ];
  }
  const drop = DROP_INDEX.exec(text);
  if (drop) {
    // A unique key the migration replaces (an old key found by its columns, or a key built by hand
    // that does not do what ours does): said in the plan with its definition.
    const old = (await tableIndexes(db, null)).find((e) => e.index_name === drop[1]);
    if (!old?.unique || !old.valid) return undefined;
    return [{ sql, note: `replace: unique index ${old.index_name} (${old.definition}) is not what this migration builds: dropped, ours in its place`, kind: 'replaced' }];
  }
  const keyChange = DROP_CONSTRAINT.exec(text) ?? VALIDATE_CONSTRAINT.exec(text);
  if (keyChange) return foreignKey(db, sql, keyChange, DROP_CONSTRAINT.test(text));
  const add = ADD_COLUMN.exec(text);
  if (add) {
    const [, table, column] = add;
    const present = (await columns(db, table)).find((c) => c.name === column);
    const name = `${table}.${column}`;
    if (!present) return [{ sql, record: { kind: 'column', name, action: 'created', definition: null } }];
    // A run resumed after a crash finds the column it added itself: that one stays bookops'.
    if ((await recordedObjects(db, ctx.migration)).some((r) => r.kind === 'column' && r.name === name && r.action === 'created')) return undefined;
    await refuseOtherType(db, ctx.migration, table, column, present.type, declaredType(add[3]));
    return [comment(`adopt: column ${name} (${present.type}) is there already (added by hand): kept with its values, the fill below completes it`, 'adopted', { kind: 'column', name, action: 'adopted', definition: present.type })];
  }
  const fn = REPLACE_FUNCTION.exec(text);
  if (fn) {
    const types = argumentTypes(bracketed(text, fn.index + fn[0].length - 1).inner);
    const old = (await functionDefinitions(db, fn[1])).find((f) => signature(fn[1], f.argument_types) === signature(fn[1], types));
    if (!old) return undefined;
    return [{ sql, note: `replace: function ${signature(fn[1], types)} exists (built by hand): replaced by ours, its definition recorded (down puts it back)`, kind: 'replaced', record: { kind: 'function', name: signature(fn[1], types), action: 'replaced', definition: old.definition } }];
  }
  const trigger = REPLACE_TRIGGER.exec(text) ?? DROP_TRIGGER.exec(text);
  if (trigger) {
    const [, name, table] = trigger;
    const old = await triggerDefinition(db, table, name);
    if (!old) return undefined;
    const dropped = DROP_TRIGGER.test(text);
    const what = `trigger ${name} on ${table} (${old.definition.replace(/^CREATE TRIGGER \S+ /, '')}${old.disabled ? ', disabled' : ''})`;
    const note = dropped
      ? `replace: ${what} makes what ours makes: dropped, its definition recorded (down puts it back)`
      : `replace${old.disabled ? ' and re-enable' : ''}: ${what} exists (built by hand): replaced by ours${old.disabled ? ', which fires' : ''}, its definition recorded (down puts it back)`;
    // A disabled trigger comes back disabled: down reverses what up did, no more.
    const definition = old.disabled ? `${old.definition}${DISABLED}` : old.definition;
    return [{ sql, note, kind: 'replaced', record: { kind: 'trigger', name: `${table}.${name}`, action: 'replaced', definition } }];
  }
  return undefined;
}

/** The type of an ADD COLUMN's definition: what comes before its first constraint or default. */
function declaredType(definition: string): string {
  return stripComments(definition)
    .replace(/;\s*$/, '')
    .split(/\s+(?:not|null|default|references|check|unique|primary|constraint|generated|collate)\b/i)[0]
    .trim();
}

/**
 * A column added by hand under the name a migration adds is adopted only with the type the
 * migration gives it (or a domain over it; modifiers aside): notification_logs.candidate_tg_id as
 * integer cannot hold a Telegram id (the fill failed half-way with "integer out of range"), as
 * text it cannot be compared with the slot's. Refused before the migration's first statement,
 * saying what to do.
 */
async function refuseOtherType(db: Db, migration: string, table: string, column: string, present: string, declared: string): Promise<void> {
  const found = await sameBaseType(db, table, column, declared);
  if (!found || found.same !== false) return;
  throw new RefusedError(`${migration}: column ${table}.${column} is there already as ${present}, not ${found.wanted} as the migration adds it; refused before its first statement`, {
    hint: `change its type (ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${found.wanted}) or drop it, then run again`,
    details: { column: `${table}.${column}`, type: present, expected: found.wanted },
  });
}

/** The names migration 0005 gives the cascading keys it makes (catalog/fk-tree new_name). */
const OUR_CASCADING_KEY = /_cascade_fkey$/;

/**
 * A foreign key 0005 drops on its own (a blocking key beside a cascading one the site added) or
 * validates (a cascading key the site added NOT VALID): said in the plan; the dropped key is
 * recorded, and down puts it back.
 */
async function foreignKey(db: Db, sql: string, m: RegExpExecArray, dropped: boolean): Promise<RenderedStatement[] | undefined> {
  const [, schema, table, name] = m;
  const qualified = schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
  const key = await constraintDefinition(db, qualified, name);
  if (key?.type === 'u' && dropped) {
    return [{ sql, note: `replace: unique constraint ${name} on ${table} (${key.definition}) is not what this migration builds: dropped, ours in its place`, kind: 'replaced' }];
  }
  if (key?.type !== 'f') return undefined;
  if (dropped) {
    return [{
      sql,
      note: `drop: foreign key ${name} on ${table} (${key.definition}) blocks deletes, and a cascading key on the same columns is there (added by hand): that one is kept, this one dropped (down puts it back)`,
      kind: 'replaced',
      record: { kind: 'constraint', name: `${table}.${name}`, action: 'replaced', definition: `ALTER TABLE ${qualified} ADD CONSTRAINT ${quoteIdent(name)} ${key.definition}` },
    }];
  }
  if (key.validated || OUR_CASCADING_KEY.test(name)) return undefined;
  return [{ sql, note: `adopt: foreign key ${name} on ${table} (${key.definition}), added by hand, cascades already: kept, and validated`, kind: 'adopted' }];
}

function down(sql: string, ctx: HandMadeContext): RenderedStatement[] | undefined {
  const text = stripComments(sql);
  const find = (kind: ObjectRecord['kind'], name: string, action: ObjectRecord['action']) => {
    const record = ctx.records.find((r) => r.kind === kind && r.name === name && r.action === action && !ctx.used.has(r));
    if (record) ctx.used.add(record);
    return record;
  };
  const column = DROP_COLUMN.exec(text);
  if (column && find('column', `${column[1]}.${column[2]}`, 'adopted')) {
    return [comment(`keep: column ${column[1]}.${column[2]} was there before up (adopted): not dropped`, 'kept')];
  }
  const index = DROP_INDEX.exec(text);
  if (index && find('index', index[1], 'adopted')) return [comment(`keep: index ${index[1]} was there before up (adopted): not dropped`, 'kept')];
  const fn = DROP_FUNCTION.exec(text);
  const replacedFn = fn && find('function', signature(fn[1], argumentTypes(fn[2])), 'replaced');
  if (replacedFn) return restore(replacedFn, sql);
  const trigger = DROP_TRIGGER.exec(text);
  const replacedTrigger = trigger && find('trigger', `${trigger[2]}.${trigger[1]}`, 'replaced');
  if (replacedTrigger) return restore(replacedTrigger, sql);
  return undefined;
}

/** Marks a recorded trigger definition whose trigger was disabled when up replaced it. */
const DISABLED = '\n-- disabled';

/** The statements that put back what up replaced (CREATE OR REPLACE: ours may still be there). */
function restore(record: ObjectRecord, instead?: string): RenderedStatement[] {
  const note = `restore: ${record.kind} ${record.name} as it was before up (recorded when up replaced it)${instead ? ', instead of dropping it' : ''}`;
  if (record.kind !== 'trigger') return [{ sql: record.definition!.trim(), note, kind: 'restored' }];
  const disabled = record.definition!.endsWith(DISABLED);
  const definition = record.definition!.replace(DISABLED, '').replace(/^CREATE TRIGGER\b/, 'CREATE OR REPLACE TRIGGER');
  const [table, name] = record.name.split('.');
  return [
    { sql: definition.trim(), note, kind: 'restored' },
    ...(disabled ? [{ sql: `ALTER TABLE ${quoteIdent(table)} DISABLE TRIGGER ${quoteIdent(name)}`, note: `restore: trigger ${record.name} disabled, as it was`, kind: 'restored' as const }] : []),
  ];
}

/** down, after its statements: the site's triggers and keys up dropped, that no statement has put back yet. */
export function restoreRemaining(ctx: HandMadeContext): RenderedStatement[] {
  const left = ctx.records.filter((r) => r.action === 'replaced' && (r.kind === 'trigger' || r.kind === 'constraint') && !ctx.used.has(r));
  left.forEach((r) => ctx.used.add(r));
  // A key adopted in place of ours: down drops ours by its name (there is none), never the site's; said so.
  const adopted = ctx.records.filter((r) => r.action === 'adopted' && (r.kind === 'index' || r.kind === 'constraint') && !ctx.used.has(r));
  adopted.forEach((r) => ctx.used.add(r));
  return [...left.flatMap((r) => restore(r)), ...adopted.map((r) => comment(`keep: ${r.kind} ${r.name} was there before up (adopted in place of bookops' own): not dropped`, 'kept'))];
}
