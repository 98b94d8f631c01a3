/** translatePgErrorAs (src/data/pg-errors.ts): SQLSTATEs into the typed errors, a rule's own meaning first; no database. */
import { describe, expect, it } from 'vitest';
import { ConflictError, DatabaseError, NotFoundError } from '../../src/errors.js';
import { translatePgErrorAs } from '../../src/data/pg-errors.js';

describe('translatePgErrorAs', () => {
  it('gives a SQLSTATE the rule\'s meaning first, and falls back to the generic translation', () => {
    const unique = Object.assign(new Error('duplicate key'), { code: '23505', constraint: 'k' });
    expect(translatePgErrorAs(unique, { '23505': () => new NotFoundError('meaning') })).toMatchObject({ message: 'meaning' });
    expect(translatePgErrorAs(unique, {})).toBeInstanceOf(ConflictError);
    expect(translatePgErrorAs(unique, { '23505': () => undefined })).toBeInstanceOf(ConflictError);
    expect(translatePgErrorAs(Object.assign(new Error('syntax'), { code: '42601' }), { '23505': () => new NotFoundError('x') })).toBeInstanceOf(DatabaseError);
    const bug = new TypeError('a bug');
    expect(translatePgErrorAs(bug, {})).toBe(bug);
  });
});
