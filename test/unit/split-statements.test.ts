/** splitStatements (src/migrate/split-statements.ts): migration SQL cut into statements, no database. */
import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/migrate/split-statements.js';

describe('splitStatements', () => {
  it('splits on semicolons outside quotes, dollar bodies and comments, keeping leading comments', () => {
    const sql = [
      "-- squawk-ignore x",
      "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"we;ird\");",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;',
      '/* block ; /* nested ; */ still */ SELECT 2;',
      '-- only a comment;',
    ].join('\n');
    const parts = splitStatements(sql);
    expect(parts.map((p) => p.sql)).toEqual([
      "-- squawk-ignore x\nINSERT INTO t VALUES ('a;b', E'it\\'s;', \"we;ird\")",
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$',
      '/* block ; /* nested ; */ still */ SELECT 2',
    ]);
    expect(parts.map((p) => p.line)).toEqual([1, 3, 4]);
  });
});
