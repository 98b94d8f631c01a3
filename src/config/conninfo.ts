/**
 * libpq's keyword/value connection strings, as DBAs paste them from psql and pg_service files:
 *   host=db1 port=5432 dbname=app user=ops sslmode=require
 *   host=db1 dbname=app password='it\'s secret'
 *   service=booking-prod
 * Pairs are separated by whitespace, with optional spaces around '='; a value may be single-quoted,
 * with \' and \\ escapes inside (libpq's rules). Keywords are case-sensitive, as in libpq
 * (`PASSWORD=` is not `password=`). Only the keywords bookops can honour are accepted: an unknown
 * or misspelt one is an error, not silently ignored (application_name is accepted and ignored:
 * every bookops session is application_name=bookops).
 *
 * Errors name a keyword or a character position, never a value: the value may be a password, or
 * the rest of one whose quoting went wrong.
 */

export const CONNINFO_KEYWORDS = [
  'service',
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
export type ConninfoOptions = Partial<Record<ConninfoKeyword, string>>;

export function isConninfoKeyword(key: string): key is ConninfoKeyword {
  return (CONNINFO_KEYWORDS as readonly string[]).includes(key);
}

/** Keyword/value rather than a URL: libpq decides the same way (no URI prefix, and an '='). */
export function looksLikeConninfo(text: string): boolean {
  return !/^postgres(?:ql)?:\/\//.test(text) && text.includes('=');
}

/** Parses it, or throws an Error whose message says what is wrong (the caller adds where). */
export function parseConninfo(text: string): ConninfoOptions {
  const out: ConninfoOptions = {};
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  while (true) {
    skipSpace();
    if (i >= text.length) return out;
    const keyStart = i;
    // libpq reads a keyword up to '=' or whitespace, whatever its characters.
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i])) i++;
    const key = text.slice(keyStart, i);
    skipSpace();
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
      if (!closed) throw new Error(`unterminated quoted value of ${isConninfoKeyword(key) ? key : `the keyword at character ${keyStart + 1}`}`);
    } else {
      while (i < text.length && !/\s/.test(text[i])) {
        const ch = text[i++];
        value += ch === '\\' && i < text.length ? text[i++] : ch;
      }
    }
    if (!isConninfoKeyword(key)) throw new Error(unknownKeyword(key, keyStart, 'password' in out));
    out[key] = value;
  }
}

/**
 * After a password, an "unknown keyword" may be a piece of it (an unquoted space): only its
 * position is said. A keyword that is one of ours in another letter case is named with the hint.
 */
function unknownKeyword(key: string, at: number, afterPassword: boolean): string {
  const known = `(keywords are case-sensitive; bookops reads ${CONNINFO_KEYWORDS.join(', ')})`;
  if (afterPassword || !/^[A-Za-z_]+$/.test(key)) return `unknown keyword at character ${at + 1} ${known}`;
  return `unknown keyword '${key}' ${known}`;
}

/**
 * The options as one keyword/value string, as libpq reads it back: a value quoted (with \' and
 * \\) when it is empty or holds a space, a quote or a backslash.
 */
export function formatConninfo(options: ConninfoOptions): string {
  const quote = (v: string) => (/^[^\s'\\]+$/.test(v) ? v : `'${v.replace(/[\\']/g, (c) => `\\${c}`)}'`);
  return (Object.entries(options) as Array<[ConninfoKeyword, string]>).map(([k, v]) => `${k}=${quote(v)}`).join(' ');
}
