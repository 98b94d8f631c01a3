/**
 * Splits a SQL script into statements, one per query: the pg driver sends a multi-statement
 * string as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses and which would
 * hide the statement that failed. Handles '...' (with '' escapes), E'...' (backslash escapes),
 * "...", $tag$...$tag$ bodies, -- and nested /* *\/ comments. Comment lines directly above a
 * statement stay attached to it (squawk-ignore and bookops: directives live there).
 */
export interface SqlStatement {
  /** The statement text including its leading comments, without the final semicolon. */
  sql: string;
  /** 1-based line of the statement's first line in the source. */
  line: number;
}

export function splitStatements(source: string, firstLine = 1): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let start = 0;
  let i = 0;
  const n = source.length;

  const push = (end: number) => {
    const raw = source.slice(start, end);
    const leading = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text && !isOnlyComments(text)) {
      const line = firstLine + countNewlines(source, 0, start + leading);
      statements.push({ sql: text, line });
    }
  };

  while (i < n) {
    const ch = source[i];
    const next = source[i + 1];
    if (ch === '-' && next === '-') {
      const eol = source.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(source, i);
    } else if (ch === "'") {
      const escapes = i > 0 && /[eE]/.test(source[i - 1]) && !/[\w$]/.test(source[i - 2] ?? ' ');
      i = skipQuoted(source, i, "'", escapes);
    } else if (ch === '"') {
      i = skipQuoted(source, i, '"', false);
    } else if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(source.slice(i));
      if (tag && !/[\w]/.test(source[i - 1] ?? ' ')) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
      } else {
        i++;
      }
    } else if (ch === ';') {
      push(i);
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  push(n);
  return statements;
}

function skipBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (s[i] === '*' && s[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else {
      i++;
    }
  }
  return i;
}

function skipQuoted(s: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
  while (i < s.length) {
    if (backslashEscapes && s[i] === '\\') {
      i += 2;
    } else if (s[i] === quote) {
      if (s[i + 1] === quote) i += 2;
      else return i + 1;
    } else {
      i++;
    }
  }
  return i;
}

export function isOnlyComments(text: string): boolean {
  return stripComments(text).trim() === '';
}

/** The statement without -- and /* *\/ comments (quotes respected only loosely: for checks). */
export function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
}

function countNewlines(s: string, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (s[i] === '\n') count++;
  return count;
}
