/**
 * A batched plan's ids come back as one text value ('{1,2,3}', sql/archive/changes.sql plan-ids)
 * and are read digit by digit into numbers (no string per id held on the way).
 */
import { describe, expect, it } from 'vitest';
import { parseIdList } from '../../src/archive/changes.js';

describe('parseIdList', () => {
  it('reads PostgreSQL bigint[] text into numbers, in order', () => {
    expect(Array.from(parseIdList('{}'))).toEqual([]);
    expect(Array.from(parseIdList('{7}'))).toEqual([7]);
    expect(Array.from(parseIdList('{1,22,333,9007199254740991}'))).toEqual([1, 22, 333, 9007199254740991]);
    const many = Array.from({ length: 100_000 }, (_, i) => 1_000_000_000 + i * 3);
    expect(Array.from(parseIdList(`{${many.join(',')}}`))).toEqual(many);
  });

  it('refuses anything that is not a list of ids', () => {
    for (const bad of ['', '{', '{1,,2}', '{1,a}', '{-1}', '1,2', '{1,2', '{1,}', '{1}}']) expect(() => parseIdList(bad)).toThrow(/not a list of ids/);
  });
});
