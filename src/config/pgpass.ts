import { readFileSync, statSync } from 'node:fs';

/**
 * Looks a password up in a libpq password file as libpq does (passwordFromFile in fe-connect.c):
 * lines host:port:database:user:password, fields separated by unescaped ':', `\:` and `\\` (any
 * `\x`) escapes, a field of exactly `*` matches anything, '#' starts a comment line; the first
 * line that matches wins, and its password runs to the first unescaped ':' (anything after it is
 * ignored). The file is ignored, with a warning, when it is not a plain file or group or others may
 * read it (libpq's permission rule).
 */
export interface PgpassLookup {
  password?: string;
  /** Why the file was ignored, as libpq warns on stderr. */
  warning?: string;
}

export function lookupPgpass(file: string, want: { host: string; port: number; database: string; user: string }): PgpassLookup {
  try {
    const stat = statSync(file);
    if (!stat.isFile()) return { warning: `password file ${file} is not a plain file` };
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      return { warning: `password file ${file} has group or world access; permissions should be u=rw (0600) or less` };
    }
  } catch {
    return {};
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const wanted = [want.host, String(want.port), want.database, want.user];
  for (const line of text.split('\n')) {
    const entry = line.replace(/\r$/, '');
    if (!entry || entry.startsWith('#')) continue;
    let rest: string | undefined = entry;
    for (const value of wanted) {
      rest = matchField(rest, value);
      if (rest === undefined) break;
    }
    if (rest !== undefined) return { password: firstField(rest) };
  }
  return {};
}

/** What follows the field when it matches `value` (or is `*`), else undefined. */
function matchField(text: string, value: string): string | undefined {
  if (text.startsWith('*:')) return text.slice(2);
  let i = 0;
  for (let k = 0; k < value.length; k++) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    else if (text[i] === ':') return undefined;
    if (text[i] !== value[k]) return undefined;
    i++;
  }
  return text[i] === ':' ? text.slice(i + 1) : undefined;
}

/** The password: up to the first unescaped ':', de-escaped. */
function firstField(text: string): string {
  let out = '';
  for (let i = 0; i < text.length && text[i] !== ':'; i++) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    out += text[i];
  }
  return out;
}

/** Escapes a value for one pgpass field. */
export function pgpassField(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}
