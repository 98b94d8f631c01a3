/** substitute (src/migrate/render.ts): psql-style variables quoted into migration SQL, no database. */
import { describe, expect, it } from 'vitest';
import { substitute } from '../../src/migrate/render.js';

describe('substitute', () => {
  it('quotes identifiers, literals and lists, and refuses unknown names', () => {
    expect(substitute(`SELECT :"col" FROM t WHERE s IN (:'list') AND n = :'name' AND x::text = 'a'`, { col: 'we"ird', list: ['a', "b'c"], name: 'n' }, 'f'))
      .toBe(`SELECT "we""ird" FROM t WHERE s IN ('a', 'b''c') AND n = 'n' AND x::text = 'a'`);
    expect(() => substitute(`SELECT :"nope"`, {}, 'f.sql:3')).toThrow(/f\.sql:3: no value for :"nope"/);
  });
});
