/**
 * libpq's keyword/value connection strings, as DBAs paste them from psql and pg_service files:
 *   host=db1 port=5432 dbname=app user=ops sslmode=require
 *   host=db1 dbname=app password='it\'s secret'
 * Pairs are separated by whitespace, with optional spaces around '='; a value may be single-quoted,
 * with \' and \\ escapes inside (libpq's rules). Only the keywords bookops can honour are accepted:
 * an unknown or misspelt one is an error, not silently ignored (application_name is accepted and
 * ignored: every bookops session is application_name=bookops).
 */

export const CONNINFO_KEYWORDS = [
  'host',
  'hostaddr',
  'port',
  'dbname',
  'user',
  'password',
  'passfile',
  'sslmode',
  'sslrootcert',
  'sslcert',
  'sslkey',
  'connect_timeout',
  'application_name',
] as const;
export type ConninfoKeyword = (typeof CONNINFO_KEYWORDS)[number];

/** Keyword/value rather than a URL: libpq decides the same way (no URI prefix, and an '='). */
export function looksLikeConninfo(text: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && text.includes('=');
}

/**
 * The string as an error may show it when it does not parse: everything from the first password
 * keyword on is masked, since where its value ends is exactly what could not be read.
 */
export function conninfoForDisplay(text: string): string {
  const password = /\b(?:ssl)?password\s*=/i.exec(text);
  return password ? `${text.slice(0, password.index + password[0].length)}****` : text;
}

/** Parses it, or throws an Error whose message says what is wrong (the caller adds where). */
export function parseConninfo(text: string): Partial<Record<ConninfoKeyword, string>> {
  const out: Partial<Record<ConninfoKeyword, string>> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  while (true) {
    skipSpace();
    if (i >= text.length) return out;
    const keyStart = i;
    while (i < text.length && /[a-z_]/i.test(text[i])) i++;
    const key = text.slice(keyStart, i).toLowerCase();
    skipSpace();
    // Positions, never the text: it may be the rest of a password whose quoting went wrong.
    if (!key || text[i] !== '=') throw new Error(`expected keyword=value at character ${keyStart + 1}`);
    i++;
    skipSpace();
    let value = '';
    if (text[i] === "'") {
      i++;
      let closed = false;
      while (i < text.length) {
        const ch = text[i++];
        if (ch === '\\' && i < text.length) value += text[i++];
        else if (ch === "'") {
          closed = true;
          break;
        } else value += ch;
      }
      if (!closed) throw new Error(`unterminated quoted value of ${key}`);
    } else {
      while (i < text.length && !/\s/.test(text[i])) {
        const ch = text[i++];
        value += ch === '\\' && i < text.length ? text[i++] : ch;
      }
    }
    if (!(CONNINFO_KEYWORDS as readonly string[]).includes(key)) {
      // After a password, an "unknown keyword" may be a piece of it (an unquoted space): unnamed.
      const named = 'password' in out ? `at character ${keyStart + 1}` : `'${key}'`;
      throw new Error(`unknown keyword ${named} (bookops reads ${CONNINFO_KEYWORDS.join(', ')})`);
    }
    out[key as ConninfoKeyword] = value;
  }
}
