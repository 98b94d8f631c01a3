/**
 * A batched plan's ids come back as pages of text values ('{1,2,3}', sql/archive/changes.sql
 * id-pages) and are read digit by digit into numbers (no string per id held on the way).
 */
import { describe, expect, it } from 'vitest';
import { pageChange, parseIdList } from '../../src/archive/changes.js';
import { testSql } from '../fixtures/archive.js';

describe('parseIdList', () => {
  it('reads PostgreSQL bigint[] text (one page) into numbers, in order', () => {
    expect(Array.from(parseIdList(['{}']))).toEqual([]);
    expect(Array.from(parseIdList(['{7}']))).toEqual([7]);
    expect(Array.from(parseIdList(['{1,22,333,9007199254740991}']))).toEqual([1, 22, 333, 9007199254740991]);
    const many = Array.from({ length: 100_000 }, (_, i) => 1_000_000_000 + i * 3);
    expect(Array.from(parseIdList([`{${many.join(',')}}`]))).toEqual(many);
  });

  it('reads pages of ids (sql/archive/changes.sql id-pages) into one list, in order', () => {
    expect(Array.from(parseIdList([]))).toEqual([]);
    expect(Array.from(parseIdList(['{1,2}', '{3}', '{40,50,60}']))).toEqual([1, 2, 3, 40, 50, 60]);
    const many = Array.from({ length: 25_000 }, (_, i) => 7 + i * 2);
    const pages = [many.slice(0, 10_000), many.slice(10_000, 20_000), many.slice(20_000)].map((p) => `{${p.join(',')}}`);
    expect(Array.from(parseIdList(pages))).toEqual(many);
    expect(() => parseIdList(['{1,2}', '{3,}'])).toThrow(/not a list of ids: \{3,\}/);
  });

  it('refuses anything that is not a list of ids', () => {
    for (const bad of ['', '{', '{1,,2}', '{1,a}', '{-1}', '1,2', '{1,2', '{1,}', '{1}}']) expect(() => parseIdList([bad])).toThrow(/not a list of ids/);
  });
});

describe('pageChange', () => {
  it('sends a page of planned ids as one bigint[] text value, the same ids in the same order', () => {
    const planned = Float64Array.from([3, 40, 9007199254740991, 1_000_000_007]);
    const c = { table: 't', change: 'delete' as const, where: testSql('true'), params: { kept: 1 }, plan: { sql: testSql('select 1'), params: {} }, ids: planned, batchSize: 2 };
    const page = pageChange(c, planned.subarray(1, 3));
    expect(page.params).toEqual({ kept: 1, ids: '{40,9007199254740991}' });
    expect(Array.from(parseIdList([page.params.ids as string]))).toEqual([40, 9007199254740991]);
    expect(pageChange(c, planned.subarray(4)).params.ids).toBe('{}');
  });
});
