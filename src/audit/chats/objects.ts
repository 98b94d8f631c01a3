/**
 * Are the chat objects there, enabled, and as the migration defines them? Shared by `audit`
 * (schema.chat-trigger) and `chats verify`. Names come only from CHAT_OBJECTS; the seed's
 * pre-deploy script checked names the guide no longer used, which is how a missing trigger went
 * unnoticed. A trigger counts as enabled when it fires in a normal session (tgenabled O or A).
 */
import type { Knex } from 'knex';
import { CHAT_OBJECTS } from '../../domain/lessons/chat-objects.js';
import { runSql } from '../../data/sql-files.js';
import {
  FUNCTION_KEYS,
  normalizeBody,
  TRIGGER_KEYS,
  type ChatObjectKey,
  type ExpectedChatObjects,
  type ExpectedFunction,
  type ExpectedTrigger,
} from './expected.js';
import { canonicalCondition, whenClause } from './when-condition.js';

export type ChatObjectStateName = 'ok' | 'missing' | 'disabled' | 'differs';

export interface ChatObjectState {
  object: ChatObjectKey;
  kind: 'function' | 'trigger';
  name: string;
  state: ChatObjectStateName;
  /** Triggers: fires in a normal session. Functions: null. */
  enabled: boolean | null;
  table?: string;
  problems: string[];
  /** Not problems: e.g. why the definition could not be compared. */
  notes: string[];
  /** Triggers: pg_get_triggerdef, WHEN condition included. */
  definition?: string;
  /** Where the expected definition comes from (migrations/<file>:<line>), or null when no migration defines it. */
  expectedFrom: string | null;
  /** The migration that defines it (its file name), or null. */
  expectedMigration: string | null;
  /** What to run when the state is not ok (src/audit/chats/repair.ts). */
  repair?: string;
}

interface FunctionRow {
  name: string;
  arguments: string;
  result: string;
  language: string;
  source: string;
}

interface TriggerRow {
  name: string;
  table_name: string;
  enabled_code: string;
  enabled_state: string;
  for_each_row: boolean;
  timing: string;
  events: string[];
  update_columns: string[];
  function_name: string;
  definition: string;
}

export async function inspectChatObjects(db: Knex | Knex.Transaction, expected: ExpectedChatObjects): Promise<ChatObjectState[]> {
  const names = Object.values(CHAT_OBJECTS);
  const [functions, triggers] = [
    await runSql<FunctionRow>(db, 'chats/functions', { names }),
    await runSql<TriggerRow>(db, 'chats/triggers', { names }),
  ];
  const states: ChatObjectState[] = [];
  for (const key of FUNCTION_KEYS) {
    states.push(functionState(key, functions.filter((f) => f.name === CHAT_OBJECTS[key]), expected[key] as ExpectedFunction | undefined));
  }
  for (const key of TRIGGER_KEYS) {
    states.push(triggerState(key, triggers.filter((t) => t.name === CHAT_OBJECTS[key]), expected[key] as ExpectedTrigger | undefined));
  }
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
  else if (!rows.some((r) => normalizeBody(r.source) === normalizeBody(expected.body!))) {
    return { ...base, state: 'differs', problems: [`source differs from ${expected.source}`], notes };
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
