/**
 * Are the chat objects there, enabled, and as the migration defines them? Shared by `audit`
 * (schema.chat-trigger) and `chats verify`. Names come only from CHAT_OBJECTS; the seed's
 * pre-deploy script checked names the guide no longer used, which is how a missing trigger went
 * unnoticed. A trigger counts as enabled when it fires in a normal session (tgenabled O or A).
 * The unique key on chat_rooms (teacher_id, student_id) is one of them: found by its columns
 * (CHAT_ROOM_KEY), it is what keeps concurrent writers of a pair to one room.
 */
import { functionsNamed, triggersNamed, type FunctionRow, type TriggerRow } from '../data/catalog.repository.js';
import type { Db } from '../data/sql.js';
import { CHAT_OBJECTS, CHAT_ROOM_KEY } from '../platform/chat-objects.js';
import { roomKeyIndexes, roomKeyProblems, type RoomKeyIndex } from './room-key.js';
import {
  FUNCTION_KEYS,
  normalizeBody,
  normalizeSetting,
  TRIGGER_KEYS,
  type ChatObjectKey,
  type ExpectedChatObjects,
  type ExpectedFunction,
  type ExpectedTrigger,
} from './expected.js';
import { canonicalCondition, whenClause } from './when-condition.js';

export type ChatObjectStateName = 'ok' | 'missing' | 'disabled' | 'differs';

export interface ChatObjectState {
  object: ChatObjectKey | 'roomKey';
  kind: 'function' | 'trigger' | 'key';
  name: string;
  state: ChatObjectStateName;
  /** Triggers: fires in a normal session. Functions: null. */
  enabled: boolean | null;
  table?: string;
  problems: string[];
  /** Not problems: e.g. why the definition could not be compared. */
  notes: string[];
  /** Triggers: pg_get_triggerdef, WHEN condition included. The key: pg_get_indexdef. */
  definition?: string;
  /** Where the expected definition comes from (migrations/<file>:<line>), or null when no migration defines it. */
  expectedFrom: string | null;
  /** The migration that defines it (its file name), or null. */
  expectedMigration: string | null;
  /** What to run when the state is not ok (repair.ts). */
  repair?: string;
}



export async function inspectChatObjects(db: Db, expected: ExpectedChatObjects): Promise<ChatObjectState[]> {
  const names = [...FUNCTION_KEYS, ...TRIGGER_KEYS].map((key) => CHAT_OBJECTS[key]);
  const [functions, triggers] = [
    await functionsNamed(db, names),
    await triggersNamed(db, names),
  ];
  const states: ChatObjectState[] = [];
  for (const key of FUNCTION_KEYS) {
    states.push(functionState(key, functions.filter((f) => f.name === CHAT_OBJECTS[key]), expected[key] as ExpectedFunction | undefined));
  }
  for (const key of TRIGGER_KEYS) {
    states.push(triggerState(key, triggers.filter((t) => t.name === CHAT_OBJECTS[key]), expected[key] as ExpectedTrigger | undefined));
  }
  states.push(keyState(await roomKeyIndexes(db)));
  return states;
}

function functionState(key: ChatObjectKey, rows: FunctionRow[], expected?: ExpectedFunction): ChatObjectState {
  const base = {
    object: key,
    kind: 'function' as const,
    name: CHAT_OBJECTS[key],
    enabled: null,
    expectedFrom: expected?.source ?? null,
    expectedMigration: expected?.migration ?? null,
  };
  if (rows.length === 0) return { ...base, state: 'missing', problems: ['missing'], notes: [] };
  const notes: string[] = [];
  if (!expected) notes.push('definition not compared: no migration defines it');
  else if (expected.body === undefined) notes.push(`definition not compared: ${expected.source} has no dollar-quoted body`);
  else {
    const same = rows.find((r) => normalizeBody(r.source) === normalizeBody(expected.body!));
    if (!same) return { ...base, state: 'differs', problems: [`source differs from ${expected.source}`], notes };
    // SET clauses (the pinned search_path) are not part of the body: compared on their own.
    const settings = same.config.map((c) => normalizeSetting(c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1))).sort();
    if (settings.join('; ') !== expected.settings.join('; ')) {
      const show = (list: string[]) => (list.length ? list.map((x) => `SET ${x}`).join(', ') : 'no SET');
      return { ...base, state: 'differs', problems: [`${show(settings)}, expected ${show(expected.settings)} (${expected.source})`], notes };
    }
  }
  return { ...base, state: 'ok', problems: [], notes };
}

function triggerState(key: ChatObjectKey, rows: TriggerRow[], expected?: ExpectedTrigger): ChatObjectState {
  const table = expected?.table ?? 'bookings';
  const base = { object: key, kind: 'trigger' as const, name: CHAT_OBJECTS[key], expectedFrom: expected?.source ?? null, expectedMigration: expected?.migration ?? null };
  const row = rows.find((r) => r.table_name === table);
  if (!row) {
    const elsewhere = rows.map((r) => r.table_name).join(', ');
    return { ...base, enabled: null, state: 'missing', problems: [elsewhere ? `not on ${table} (found on ${elsewhere})` : 'missing'], notes: [] };
  }
  const enabled = row.enabled_code === 'O' || row.enabled_code === 'A';
  const problems: string[] = [];
  const notes: string[] = [];
  if (!enabled) problems.push(`${row.enabled_state}: it does not fire`);
  const wantFunction = expected?.functionName ?? CHAT_OBJECTS.triggerFunction;
  const differences: string[] = [];
  if (row.function_name !== wantFunction) differences.push(`calls ${row.function_name}(), expected ${wantFunction}()`);
  if (expected) {
    if (row.timing !== expected.timing) differences.push(`${row.timing}, expected ${expected.timing}`);
    if (row.for_each_row !== expected.forEachRow) differences.push(row.for_each_row ? 'FOR EACH ROW, expected FOR EACH STATEMENT' : 'FOR EACH STATEMENT, expected FOR EACH ROW');
    const events = [...row.events].sort().join(' OR ');
    if (events !== expected.events.join(' OR ')) differences.push(`on ${events}, expected ${expected.events.join(' OR ')}`);
    const columns = [...row.update_columns].sort().join(', ');
    if (columns !== expected.updateColumns.join(', ')) {
      differences.push(`UPDATE OF (${columns || 'any column'}), expected (${expected.updateColumns.join(', ') || 'any column'})`);
    }
    const when = compareWhen(whenClause(row.definition), expected.when);
    if (when.difference) differences.push(when.difference);
    if (when.note) notes.push(when.note);
  } else {
    notes.push('timing and events not compared: no migration defines it');
  }
  if (differences.length) problems.push(`differs from ${expected?.source ?? 'CHAT_OBJECTS'}: ${differences.join('; ')}`);
  const state: ChatObjectStateName = !enabled ? 'disabled' : differences.length ? 'differs' : 'ok';
  return { ...base, enabled, table: row.table_name, definition: row.definition, state, problems, notes };
}

/** How the unique key is shown (it has no name of ours: a site's may differ). */
export const ROOM_KEY_LABEL = `${CHAT_ROOM_KEY.table} (${CHAT_ROOM_KEY.columns.join(', ')})`;

/**
 * The unique key: ok when one index on the columns keeps pairs to one room; else missing, or
 * differs (partial, deferrable, INVALID), with the online repair: resolve the pairs holding more
 * than one room, build the key concurrently, then drop what stood in its place.
 */
function keyState(indexes: RoomKeyIndex[]): ChatObjectState {
  const base = { object: 'roomKey' as const, kind: 'key' as const, name: ROOM_KEY_LABEL, enabled: null, table: CHAT_ROOM_KEY.table, expectedFrom: null, expectedMigration: null };
  const label = (i: RoomKeyIndex) => (i.constraint_name ? `constraint ${i.constraint_name}` : `index ${i.index_name}`);
  const good = indexes.find((i) => roomKeyProblems(i).length === 0);
  if (good) return { ...base, state: 'ok', problems: [], notes: [`UNIQUE, ${label(good)}`], definition: good.definition };
  const taken = indexes.some((i) => i.valid && i.index_name === CHAT_ROOM_KEY.name);
  const create = `CREATE UNIQUE INDEX CONCURRENTLY ${taken ? `${CHAT_ROOM_KEY.name}_new` : CHAT_ROOM_KEY.name} ON ${ROOM_KEY_LABEL}`;
  const drop = (i: RoomKeyIndex) => (i.constraint_name ? `ALTER TABLE ${CHAT_ROOM_KEY.table} DROP CONSTRAINT ${i.constraint_name}` : `DROP INDEX CONCURRENTLY ${i.index_name}`);
  const steps = [
    'resolve the pairs holding more than one room, soft-deleted ones included (audit chats.duplicates lists those with several live rooms), or the build fails',
    ...indexes.filter((i) => !i.valid).map(drop),
    create,
    ...indexes.filter((i) => i.valid).map(drop),
  ];
  const repair = steps.join('; then ');
  if (indexes.length === 0) {
    return { ...base, state: 'missing', problems: ['no unique key: concurrent writers (the trigger, the backfill, the application) can create a pair\'s room twice'], notes: [], repair };
  }
  const problems = indexes.map((i) => `${label(i)}: ${roomKeyProblems(i).join('; ')}`);
  return { ...base, state: 'differs', problems, notes: [], definition: indexes.map((i) => i.definition).join('; '), repair };
}

/**
 * The trigger's WHEN condition against the migration's. Postgres prints back its own rewrite of
 * the condition (casts added, every operator in parentheses), so both are compared in the
 * canonical form of when-condition.ts; a condition it cannot parse is compared as text.
 */
function compareWhen(actual: string | undefined, expected: string | undefined): { difference?: string; note?: string } {
  const show = (w: string | undefined) => (w === undefined ? 'no WHEN condition' : `WHEN (${w})`);
  if (actual === undefined || expected === undefined) {
    return actual === expected ? {} : { difference: `${show(actual)}, expected ${show(expected)}` };
  }
  const [a, e] = [canonicalCondition(actual), canonicalCondition(expected)];
  if (a !== undefined && e !== undefined) return a === e ? {} : { difference: `${show(actual)}, expected ${show(expected)}` };
  const text = (w: string) => w.replace(/\s+/g, ' ').trim().toLowerCase();
  const note = 'WHEN condition compared as text (syntax the comparison does not parse)';
  return text(actual) === text(expected) ? { note } : { difference: `${show(actual)}, expected ${show(expected)}`, note };
}
