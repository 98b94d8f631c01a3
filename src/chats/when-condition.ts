/**
 * A trigger's WHEN condition in a form that compares equal whatever way it was written. Postgres
 * does not keep the text of the condition: it stores the parsed expression and prints it back
 * (pg_get_triggerdef) with every operator in parentheses and casts added, e.g. the migration's
 * `lower(NEW.status) = 'active'` comes back as `(lower((new.status)::text) = 'active'::text)`.
 * Both sides are parsed here into one canonical form: casts dropped, letter case of key words
 * and unquoted names folded, parentheses replaced by the structure they stand for (with the
 * operator precedence Postgres uses), AND and OR lists flattened. A condition using syntax this
 * parser does not know (CASE, IN, subqueries...) gives undefined: the caller then compares text.
 */

type Token = { kind: 'word' | 'ident' | 'string' | 'number' | 'op'; text: string };

const TOKEN = /\s+|('(?:[^']|'')*')|("(?:[^"]|"")+")|(\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_$]*)|(::|<>|!=|<=|>=|\|\||[=<>()[\],.+\-*/%])/y;

function tokenize(text: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (!m) return undefined;
    if (m[1]) tokens.push({ kind: 'string', text: m[1].slice(1, -1).replace(/''/g, "'") });
    else if (m[2]) tokens.push({ kind: 'ident', text: m[2].slice(1, -1).replace(/""/g, '"') });
    else if (m[3]) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'word', text: m[4].toLowerCase() });
    else if (m[5]) tokens.push({ kind: 'op', text: m[5] });
  }
  return tokens;
}

const COMPARISON = new Set(['=', '<>', '!=', '<', '>', '<=', '>=']);
/** Words that continue a type name after `::` (character varying, timestamp without time zone). */
const TYPE_WORDS = new Set(['varying', 'precision', 'with', 'without', 'time', 'zone']);

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): string {
    const expr = this.or();
    if (this.at !== this.tokens.length) throw new Error('trailing tokens');
    return expr;
  }

  private peek(offset = 0): Token | undefined {
    return this.tokens[this.at + offset];
  }
  private isWord(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t?.kind === 'word' && t.text === word;
  }
  private isOp(op: string): boolean {
    const t = this.peek();
    return t?.kind === 'op' && t.text === op;
  }
  private next(): Token {
    const t = this.tokens[this.at++];
    if (!t) throw new Error('unexpected end');
    return t;
  }
  private expectOp(op: string): void {
    if (!this.isOp(op)) throw new Error(`expected ${op}`);
    this.at++;
  }

  /** a OR b OR c, with nested ORs flattened into one list (as Postgres stores them). */
  private list(word: 'or' | 'and', operand: () => string): string {
    const items = [operand()];
    while (this.isWord(word)) {
      this.at++;
      items.push(operand());
    }
    const flat = items.flatMap((i) => (i.startsWith(`(${word} `) ? splitList(i, word) : [i]));
    return flat.length === 1 ? flat[0] : `(${word} ${flat.join(' ')})`;
  }
  private or = (): string => this.list('or', this.and);
  private and = (): string => this.list('and', this.not);

  private not = (): string => {
    if (this.isWord('not')) {
      this.at++;
      return `(not ${this.not()})`;
    }
    return this.is();
  };

  private is(): string {
    let left = this.comparison();
    while (this.isWord('is')) {
      this.at++;
      const negated = this.isWord('not') ? (this.at++, true) : false;
      const word = this.next();
      if (word.kind === 'word' && ['null', 'true', 'false', 'unknown'].includes(word.text)) {
        left = `(is${negated ? ' not' : ''} ${word.text} ${left})`;
      } else if (word.kind === 'word' && word.text === 'distinct' && this.isWord('from')) {
        this.at++;
        left = `(${negated ? 'not-distinct' : 'distinct'} ${left} ${this.comparison()})`;
      } else {
        throw new Error('unknown IS form');
      }
    }
    return left;
  }

  private comparison(): string {
    const left = this.binary(0);
    const t = this.peek();
    if (t?.kind === 'op' && COMPARISON.has(t.text)) {
      this.at++;
      return `(${t.text === '!=' ? '<>' : t.text} ${left} ${this.binary(0)})`;
    }
    return left;
  }

  /** Other operators, by precedence: || below + -, below * / %. */
  private binary(level: number): string {
    const levels = [['||'], ['+', '-'], ['*', '/', '%']];
    if (level === levels.length) return this.unary();
    let left = this.binary(level + 1);
    for (let t = this.peek(); t?.kind === 'op' && levels[level].includes(t.text); t = this.peek()) {
      this.at++;
      left = `(${t.text} ${left} ${this.binary(level + 1)})`;
    }
    return left;
  }

  private unary(): string {
    if (this.isOp('-')) {
      this.at++;
      return `(neg ${this.unary()})`;
    }
    const value = this.primary();
    while (this.isOp('::')) {
      this.at++;
      this.skipType();
    }
    return value;
  }

  /** A cast's type is dropped: Postgres adds casts the migration does not write. */
  private skipType(): void {
    const first = this.next();
    if (first.kind !== 'word' && first.kind !== 'ident') throw new Error('expected a type');
    while (this.isOp('.') || (this.peek()?.kind === 'word' && TYPE_WORDS.has(this.peek()!.text))) this.next();
    if (this.isOp('(')) {
      while (!this.isOp(')')) this.next();
      this.at++;
    }
    while (this.isOp('[')) {
      this.at++;
      this.expectOp(']');
    }
  }

  private primary(): string {
    const t = this.next();
    if (t.kind === 'op' && t.text === '(') {
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    if (t.kind === 'string') return `'${t.text.replace(/'/g, "''")}'`;
    if (t.kind === 'number') return t.text;
    if (t.kind === 'word' && ['true', 'false', 'null'].includes(t.text)) return t.text;
    if (t.kind === 'word' && t.text === 'array' && this.isOp('[')) {
      this.at++;
      return `(array ${this.args(']').join(' ')})`;
    }
    if (t.kind === 'word' || t.kind === 'ident') {
      if (t.kind === 'word' && ['case', 'select', 'exists', 'in', 'and', 'or', 'not', 'is'].includes(t.text)) throw new Error(`unsupported ${t.text}`);
      const parts = [name(t)];
      while (this.isOp('.')) {
        this.at++;
        parts.push(name(this.next()));
      }
      if (this.isOp('(')) {
        this.at++;
        return `(call ${parts.join('.')} ${this.args(')').join(' ')})`;
      }
      return parts.join('.');
    }
    throw new Error(`unexpected ${t.text}`);
  }

  private args(close: string): string[] {
    const args: string[] = [];
    if (this.isOp(close)) {
      this.at++;
      return args;
    }
    for (;;) {
      args.push(this.or());
      if (this.isOp(',')) {
        this.at++;
        continue;
      }
      this.expectOp(close);
      return args;
    }
  }
}

function name(t: Token): string {
  if (t.kind === 'word') return t.text;
  if (t.kind === 'ident') return `"${t.text.replace(/"/g, '""')}"`;
  throw new Error('expected a name');
}

/** The items of a canonical `(and a b c)` / `(or a b c)` list (items are balanced). */
function splitList(list: string, word: string): string[] {
  const body = list.slice(word.length + 2, -1);
  const items: string[] = [];
  let depth = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "'") quoted = !quoted;
    if (quoted) continue;
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ' ' && depth === 0) {
      items.push(body.slice(start, i));
      start = i + 1;
    }
  }
  items.push(body.slice(start));
  return items;
}

/** The canonical form of a condition, or undefined when it uses syntax this parser does not know. */
export function canonicalCondition(text: string): string | undefined {
  const tokens = tokenize(text);
  if (!tokens || tokens.length === 0) return undefined;
  try {
    return new Parser(tokens).parse();
  } catch {
    return undefined;
  }
}

/**
 * The condition inside `WHEN ( ... )` of a CREATE TRIGGER statement or of pg_get_triggerdef's
 * text, or undefined when there is none. Parentheses inside string literals are skipped.
 */
export function whenClause(definition: string): string | undefined {
  const m = /\bwhen\s*\(/i.exec(definition);
  if (!m) return undefined;
  let depth = 1;
  let quote: string | undefined;
  for (let i = m.index + m[0].length; i < definition.length; i++) {
    const c = definition[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return definition.slice(m.index + m[0].length, i).trim();
    }
  }
  return undefined;
}
