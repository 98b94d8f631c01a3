import { readFileSync } from 'node:fs';

/**
 * Looks a password up in a libpq password file (host:port:database:user:password, `*` matches
 * anything, `\:` and `\\` are escapes). Used for the `passfile` URL parameter that
 * `bookops db url` prints, so that URL works for psql and for bookops without containing the
 * password itself.
 */
export function lookupPgpass(
  file: string,
  want: { host: string; port: number; database: string; user: string },
): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const fields = splitFields(line);
    if (fields.length !== 5) continue;
    const [host, port, database, user, password] = fields;
    const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if (
      matches(host, want.host) &&
      matches(port, String(want.port)) &&
      matches(database, want.database) &&
      matches(user, want.user)
    ) {
      return password;
    }
  }
  return undefined;
}

function splitFields(line: string): string[] {
  const fields: string[] = [];
  let current = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) {
      current += line[++i];
    } else if (ch === ':') {
      fields.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  fields.push(current);
  return fields;
}

/** Escapes a value for one pgpass field. */
export function pgpassField(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
}
