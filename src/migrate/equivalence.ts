/**
 * When an object a site built by hand already does what a fix migration would build: the one
 * rule `migrate plan`, `migrate up` (adopt instead of building a twin) and the audit's
 * schema.redundant-unique-indexes read.
 *
 * Two unique indexes do the same job when they are on the same table, their keys are the same
 * set of columns or expressions (the order of a key does not change what it keeps unique), their
 * predicates are the same condition, both treat NULLs alike (NULLS NOT DISTINCT refuses rows the
 * other lets in), and both are immediate (a deferrable key cannot arbitrate
 * ON CONFLICT). Expressions are compared after normalising what PostgreSQL's deparser adds and
 * a person leaves out: casts, parentheses, letter case, `IN (…)` against `= ANY (ARRAY[…])`, and
 * the order of the values of such a list.
 */
import type { CatalogIndex } from '../data/catalog.repository.js';

/** An index as the catalog shows it (catalog/table-indexes) or as a migration would build it. */
export interface IndexShape {
  table: string;
  unique: boolean;
  /** One entry per key column: a column name or an expression, as pg_get_indexdef(oid, n, true) prints it. */
  keys: string[];
  /** The WHERE condition, or null. */
  predicate: string | null;
  /** NULLS NOT DISTINCT: a key with NULLs is a duplicate too, so it keeps more rows out. */
  nulls_not_distinct?: boolean;
}

export type { CatalogIndex };

type Token = { kind: 'word' | 'string' | 'number' | 'op' | 'open' | 'close' | 'comma' | 'lbrack' | 'rbrack'; text: string };

/** Multi-word type names whose later words follow `::type` (character varying, time with time zone…). */
const TYPE_TAIL = new Set(['varying', 'precision', 'without', 'with', 'time', 'zone']);

function tokenise(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) i++;
    else if (ch === "'") {
      let j = i + 1;
      while (j < text.length && !(text[j] === "'" && text[j + 1] !== "'")) j += text[j] === "'" ? 2 : 1;
      tokens.push({ kind: 'string', text: text.slice(i, j + 1) });
      i = j + 1;
    } else if (ch === '"') {
      const j = text.indexOf('"', i + 1);
      const name = text.slice(i + 1, j < 0 ? undefined : j);
      // A quoted identifier that needs no quotes is the same name unquoted.
      tokens.push({ kind: 'word', text: /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name}"` });
      i = j < 0 ? text.length : j + 1;
    } else if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))![0];
      tokens.push({ kind: 'word', text: m.toLowerCase() });
      i += m.length;
    } else if (/[0-9]/.test(ch)) {
      const m = /^[0-9.]+/.exec(text.slice(i))![0];
      tokens.push({ kind: 'number', text: m });
      i += m.length;
    } else if (ch === '(') (tokens.push({ kind: 'open', text: ch }), i++);
    else if (ch === ')') (tokens.push({ kind: 'close', text: ch }), i++);
    else if (ch === ',') (tokens.push({ kind: 'comma', text: ch }), i++);
    else if (ch === '[') (tokens.push({ kind: 'lbrack', text: ch }), i++);
    else if (ch === ']') (tokens.push({ kind: 'rbrack', text: ch }), i++);
    else {
      const m = /^(::|<>|!=|<=|>=|[=<>+\-*/%|&.]+)/.exec(text.slice(i))?.[0] ?? ch;
      tokens.push({ kind: 'op', text: m === '!=' ? '<>' : m });
      i += m.length;
    }
  }
  return tokens;
}

/** Drops `::type` casts (with their `(n)` and `[]`). */
function dropCasts(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].kind !== 'op' || tokens[i].text !== '::') {
      out.push(tokens[i]);
      continue;
    }
    i++; // the type name
    while (tokens[i + 1]?.kind === 'word' && TYPE_TAIL.has(tokens[i + 1].text)) i++;
    if (tokens[i + 1]?.kind === 'open') while (i < tokens.length && tokens[i].kind !== 'close') i++;
    while (tokens[i + 1]?.kind === 'lbrack' && tokens[i + 2]?.kind === 'rbrack') i += 2;
  }
  return out;
}

/** The index of the token closing the bracket opened at `start`. */
function closing(tokens: Token[], start: number): number {
  let depth = 0;
  for (let i = start; i < tokens.length; i++) {
    if (tokens[i].kind === 'open' || tokens[i].kind === 'lbrack') depth++;
    if (tokens[i].kind === 'close' || tokens[i].kind === 'rbrack') depth--;
    if (depth === 0) return i;
  }
  return tokens.length - 1;
}

/** `x IN (a, b)` as the deparser prints it: `x = ANY (ARRAY[a, b])`; NOT IN as `<> ALL`. */
function inToAny(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word' && t.text === 'in' && tokens[i + 1]?.kind === 'open' && tokens[i + 2]?.text !== 'select') {
      const end = closing(tokens, i + 1);
      const negated = out[out.length - 1]?.text === 'not';
      if (negated) out.pop();
      out.push(
        { kind: 'op', text: negated ? '<>' : '=' },
        { kind: 'word', text: negated ? 'all' : 'any' },
        { kind: 'open', text: '(' },
        { kind: 'word', text: 'array' },
        { kind: 'lbrack', text: '[' },
        ...tokens.slice(i + 2, end),
        { kind: 'rbrack', text: ']' },
        { kind: 'close', text: ')' },
      );
      i = end;
    } else out.push(t);
  }
  return out;
}

/** Parentheses carry no meaning here but grouping (see normaliseExpression); brackets stay. */
function withoutParentheses(tokens: Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'open' && t.kind !== 'close');
}

/** The values of every ARRAY[…] of plain values, sorted: an IN list in another order is the same list. */
function sortArrays(tokens: Token[]): string {
  const parts: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i].text === 'array' && tokens[i + 1]?.kind === 'lbrack') {
      const end = closing(tokens, i + 1);
      const inner = tokens.slice(i + 2, end);
      const plain = inner.every((t) => t.kind === 'string' || t.kind === 'number' || t.kind === 'comma' || (t.kind === 'op' && t.text === '-'));
      const values = plain ? inner.filter((t) => t.kind !== 'comma').map((t) => t.text).sort() : inner.map((t) => t.text);
      parts.push(`array[${values.join(plain ? ',' : ' ')}]`);
      i = end;
    } else parts.push(tokens[i].text);
  }
  return parts.join(' ');
}

/**
 * An expression in one canonical spelling. Parentheses are dropped, which is exact for the
 * conditions fix migrations build (one comparison, or ANDs of comparisons) but would merge
 * `a AND (b OR c)` with `(a AND b) OR c`: an expression that mixes AND and OR keeps its
 * parentheses, so two of them match only when written alike.
 */
export function normaliseExpression(text: string): string {
  const tokens = inToAny(dropCasts(tokenise(text)));
  const words = new Set(tokens.filter((t) => t.kind === 'word').map((t) => t.text));
  const mixed = words.has('and') && words.has('or');
  return sortArrays(mixed ? tokens : withoutParentheses(tokens));
}

/** Same table, same uniqueness, same key set, same condition. */
export function sameShape(a: IndexShape, b: IndexShape): boolean {
  if (a.table !== b.table || a.unique !== b.unique || a.keys.length !== b.keys.length) return false;
  if (Boolean(a.nulls_not_distinct) !== Boolean(b.nulls_not_distinct)) return false;
  const keys = (s: IndexShape) => s.keys.map(normaliseExpression);
  // A unique key's column order does not change what it keeps unique; a plain index's does.
  const ka = a.unique ? keys(a).sort() : keys(a);
  const kb = b.unique ? keys(b).sort() : keys(b);
  if (ka.some((k, i) => k !== kb[i])) return false;
  const pa = a.predicate === null ? null : normaliseExpression(a.predicate);
  const pb = b.predicate === null ? null : normaliseExpression(b.predicate);
  return pa === pb;
}

/** The valid, immediate indexes among `existing` that do what `wanted` would (never `wanted` itself by name). */
export function equivalentIndexes(wanted: IndexShape & { name: string }, existing: CatalogIndex[]): CatalogIndex[] {
  return existing.filter((e) => e.index_name !== wanted.name && e.valid && e.immediate && sameShape(e, wanted));
}

/**
 * The INVALID indexes like `wanted` (never `wanted` itself by name): a failed CREATE INDEX
 * CONCURRENTLY, by hand or not, is a leftover; one still being built (`building_pid`) is not.
 */
export function invalidLikeWanted(wanted: IndexShape & { name: string }, existing: CatalogIndex[]): CatalogIndex[] {
  return existing.filter((e) => e.index_name !== wanted.name && !e.valid && sameShape(e, wanted));
}

/** Groups of two or more valid unique indexes on one table that keep the same thing unique. */
export function redundantGroups(indexes: CatalogIndex[]): CatalogIndex[][] {
  const usable = indexes.filter((i) => i.unique && i.valid && i.immediate);
  const groups: CatalogIndex[][] = [];
  for (const index of usable) {
    const group = groups.find((g) => sameShape(g[0], index));
    if (group) group.push(index);
    else groups.push([index]);
  }
  return groups.filter((g) => g.length > 1);
}
