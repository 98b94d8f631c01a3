/**
 * libpq's connection URIs, read as libpq reads them (conninfo_uri_parse in fe-connect.c):
 *   postgresql://[user[:password]@][host][:port][/dbname][?keyword=value&...]
 * Where a general URL parser (and pg-connection-string on top of one) reads them otherwise, we
 * follow libpq: the user part ends at the first '@' (a password holding '@' must be %40), '+' is a
 * plus and not a space, a malformed or %00 percent-escape is an error rather than kept as typed,
 * and query keywords are the keyword/value keywords, case-sensitive (`ssl=true` is libpq's alias
 * of `sslmode=require`). Errors name a part or a position, never the text.
 */
import { isConninfoKeyword, type ConninfoOptions } from './conninfo.js';

const PREFIX = /^postgres(?:ql)?:\/\//;

export function looksLikeUri(text: string): boolean {
  return PREFIX.test(text);
}

export function parseUri(text: string): ConninfoOptions {
  const prefix = PREFIX.exec(text);
  if (!prefix) throw new Error('it must start with postgres:// or postgresql://');
  const out: ConninfoOptions = {};
  let i = prefix[0].length;
  const take = (stops: string) => {
    const start = i;
    while (i < text.length && !stops.includes(text[i])) i++;
    return { raw: text.slice(start, i), at: start };
  };

  // libpq looks ahead for '@' only as far as the first '/': the user part ends at the first '@'.
  const slash = text.indexOf('/', i);
  const at = text.indexOf('@', i);
  if (at !== -1 && (slash === -1 || at < slash)) {
    const user = take(':@');
    if (user.raw) out.user = decode(user.raw, user.at, 'the user name');
    if (text[i] === ':') {
      i++;
      const password = take('@');
      out.password = decode(password.raw, password.at, 'the password');
    }
    i++; // '@'
  }

  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close === -1) throw new Error(`unclosed '[' of an IPv6 address at character ${i + 1}`);
    if (close === i + 1) throw new Error(`empty IPv6 address at character ${i + 1}`);
    out.host = text.slice(i + 1, close);
    i = close + 1;
    if (i < text.length && !':/?'.includes(text[i])) throw new Error(`unexpected character at ${i + 1} (expected ':' or '/' after the IPv6 address)`);
  } else {
    const host = take(':/?,');
    // libpq would take the rest of a password cut at an unescaped '@' as a host name and fail later.
    if (host.raw.includes('@')) throw new Error(`'@' in the host name at character ${host.at + 1} (a password holding '@' must be written %40)`);
    if (host.raw) out.host = decode(host.raw, host.at, 'the host');
  }
  if (text[i] === ',') throw new Error(`several hosts at character ${i + 1}: bookops connects to one host`);
  if (text[i] === ':') {
    i++;
    const port = take('/?,');
    if (text[i] === ',') throw new Error(`several hosts at character ${i + 1}: bookops connects to one host`);
    if (port.raw) out.port = decode(port.raw, port.at, 'the port');
  }
  if (text[i] === '/') {
    i++;
    const dbname = take('?');
    if (dbname.raw) out.dbname = decode(dbname.raw, dbname.at, 'the database name');
  }
  if (text[i] === '?') {
    i++;
    for (const param of queryParams(text, i)) Object.assign(out, param);
  }
  return out;
}

function queryParams(text: string, from: number): ConninfoOptions[] {
  const params: ConninfoOptions[] = [];
  let at = from;
  const parts = text.slice(from).split('&');
  // libpq reads parameters while any text is left: a bare '?' or a trailing '&' ends the list.
  if (parts[parts.length - 1] === '') parts.pop();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq === -1) throw new Error(`query parameter at character ${at + 1} has no '='`);
    if (part.indexOf('=', eq + 1) !== -1) throw new Error(`query parameter at character ${at + 1} has a second '='`);
    let key = decode(part.slice(0, eq), at, 'a query parameter name');
    let value = decode(part.slice(eq + 1), at + eq + 1, `the value of ${isConninfoKeyword(key) || key === 'ssl' ? key : 'a parameter'}`);
    if (key === 'ssl') {
      if (value !== 'true') throw new Error(`ssl at character ${at + 1}: only ssl=true (libpq's alias of sslmode=require) is read; use sslmode`);
      [key, value] = ['sslmode', 'require'];
    }
    if (!isConninfoKeyword(key)) {
      throw new Error(`unknown query parameter${/^[A-Za-z_]+$/.test(key) ? ` '${key}'` : ''} at character ${at + 1} (keywords are case-sensitive, as in psql)`);
    }
    params.push({ [key]: value });
    at += part.length + 1;
  }
  return params;
}

/** libpq's percent-decoding: '%' takes exactly two hex digits, and %00 is refused. */
function decode(raw: string, at: number, what: string): string {
  for (let i = raw.indexOf('%'); i !== -1; i = raw.indexOf('%', i + 1)) {
    const hex = raw.slice(i + 1, i + 3);
    if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new Error(`malformed percent-encoding in ${what} at character ${at + i + 1}`);
    if (hex === '00') throw new Error(`%00 is not allowed (in ${what} at character ${at + i + 1})`);
  }
  // A run of escapes is one byte sequence: %C3%A9 is one character.
  return raw.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replace(/%/g, ''), 'hex').toString('utf8'));
}
