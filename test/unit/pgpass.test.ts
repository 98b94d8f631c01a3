/** src/config/pgpass.ts: the password file read as libpq reads it. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupPgpass, pgpassField } from '../../src/config/pgpass.js';

const want = { host: 'db.local', port: 5432, database: 'booking', user: 'ops' };

function file(text: string, mode = 0o600): string {
  const path = join(mkdtempSync(join(tmpdir(), 'bookops-pgpass-')), 'pgpass');
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

describe('pgpass', () => {
  it('matches field by field, * as a whole field matches anything, the first matching line wins', () => {
    const path = file(['# comment', 'other:5432:booking:ops:no', 'db.local:*:booking:ops:first', '*:*:*:*:second'].join('\n'));
    expect(lookupPgpass(path, want).password).toBe('first');
    expect(lookupPgpass(path, { ...want, user: 'else' }).password).toBe('second');
    // '*' inside a field is a character, not a wildcard
    expect(lookupPgpass(file('db.*:5432:booking:ops:x\n'), want).password).toBeUndefined();
  });

  it('the password runs to the first unescaped colon; \\: and \\\\ are escapes in every field', () => {
    expect(lookupPgpass(file('db.local:5432:booking:ops:pa\\:ss:extra:fields\n'), want).password).toBe('pa:ss');
    expect(lookupPgpass(file('db.local:5432:booking:ops:back\\\\slash\r\n'), want).password).toBe('back\\slash');
    expect(lookupPgpass(file('db.local:5432:book\\:ings:ops:p\n'), { ...want, database: 'book:ings' }).password).toBe('p');
    // a line without a password field does not match
    expect(lookupPgpass(file('db.local:5432:booking:ops\n'), want).password).toBeUndefined();
    expect(pgpassField('a:b\\c')).toBe('a\\:b\\\\c');
  });

  it('a file group or others may read is ignored with a warning, as libpq does', () => {
    const open = lookupPgpass(file('*:*:*:*:secret\n', 0o644), want);
    expect(open.password).toBeUndefined();
    expect(open.warning).toMatch(/has group or world access; permissions should be u=rw \(0600\) or less/);
    expect(lookupPgpass(join(tmpdir(), 'no-such-pgpass-file'), want)).toEqual({});
  });
});
