/**
 * The rule "an index that already does the job" (src/migrate/equivalence.ts) on the spellings a
 * site's hand-made index and the catalog's deparser give, and the statement parser of
 * src/migrate/hand-made.ts that reads what a migration would build.
 */
import { describe, expect, it } from 'vitest';
import type { CatalogIndex } from '../../src/data/catalog.repository.js';
import { equivalentIndexes, invalidLikeWanted, normaliseExpression, redundantGroups, sameShape } from '../../src/migrate/equivalence.js';
import { indexOfStatement } from '../../src/migrate/hand-made.js';

const ours = indexOfStatement(`CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS slots_candidate_recruiter_active_uidx
    ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN ('pending', 'booked', 'confirmed_by_candidate')`)!;

const catalogIndex = (over: Partial<CatalogIndex>): CatalogIndex => ({
  table: 'slots',
  index_name: 'site_idx',
  constraint_name: null,
  unique: true,
  valid: true,
  immediate: true,
  nulls_not_distinct: false,
  keys: ['candidate_tg_id', 'recruiter_id'],
  predicate: "lower(status::text) = ANY (ARRAY['pending'::text, 'booked'::text, 'confirmed_by_candidate'::text])",
  definition: 'CREATE UNIQUE INDEX site_idx ON …',
  building_pid: null,
  ...over,
});

describe('the index a migration statement builds', () => {
  it('reads its name, table, uniqueness, keys and predicate', () => {
    expect(ours).toEqual({
      name: 'slots_candidate_recruiter_active_uidx',
      table: 'slots',
      unique: true,
      keys: ['candidate_tg_id', 'recruiter_id'],
      predicate: "lower(status) IN ('pending', 'booked', 'confirmed_by_candidate')",
      nulls_not_distinct: false,
    });
    expect(indexOfStatement('CREATE INDEX CONCURRENTLY IF NOT EXISTS "x_idx" ON "public"."t" ("a", lower(b))')).toMatchObject({ name: 'x_idx', table: 't', unique: false, keys: ['"a"', 'lower(b)'], predicate: null });
    expect(indexOfStatement('DROP INDEX x')).toBeUndefined();
  });
});

describe('normaliseExpression', () => {
  it('reads IN lists as the deparser prints them, in any order, without casts or parentheses', () => {
    const typed = normaliseExpression("lower(status) IN ('pending', 'booked')");
    expect(normaliseExpression("(lower((status)::text) = ANY (ARRAY['booked'::text, 'pending'::text]))")).toBe(typed);
    expect(normaliseExpression("LOWER(\"status\") in ('booked','pending')")).toBe(typed);
    expect(normaliseExpression("((status)::text = ANY ((ARRAY['booked'::character varying, 'pending'::character varying])::text[]))")).toBe(normaliseExpression("status IN ('pending', 'booked')"));
    expect(normaliseExpression("status NOT IN ('a')")).toBe(normaliseExpression("status <> ALL (ARRAY['a'::text])"));
  });

  it('keeps apart what differs: another function, another list, a case-sensitive comparison', () => {
    const typed = normaliseExpression("lower(status) IN ('pending', 'booked')");
    expect(normaliseExpression("status IN ('pending', 'booked')")).not.toBe(typed);
    expect(normaliseExpression("lower(status) IN ('pending')")).not.toBe(typed);
    expect(normaliseExpression("upper(status) IN ('pending', 'booked')")).not.toBe(typed);
    expect(normaliseExpression("lower(status) IN ('Pending', 'booked')")).not.toBe(typed);
  });

  it('keeps the parentheses of a condition that mixes AND and OR', () => {
    expect(normaliseExpression('a AND (b OR c)')).not.toBe(normaliseExpression('(a AND b) OR c'));
    expect(normaliseExpression('a AND (b OR c)')).toBe(normaliseExpression('A and (B or C)'));
  });
});

describe('sameShape and what migrations and the audit read from it', () => {
  it('a unique key of the same columns in another order and the same condition does the job', () => {
    expect(sameShape(catalogIndex({ keys: ['recruiter_id', 'candidate_tg_id'] }), ours)).toBe(true);
    expect(equivalentIndexes(ours, [catalogIndex({})]).map((i) => i.index_name)).toEqual(['site_idx']);
  });

  it('seed 000 variant 1 is not seed 000 fixed: its predicate is case-sensitive', () => {
    const wanted = indexOfStatement("CREATE UNIQUE INDEX CONCURRENTLY i ON interviews (time_slot_id) WHERE lower(status) IN ('pending', 'confirmed')")!;
    const variant1 = catalogIndex({ table: 'interviews', keys: ['time_slot_id'], predicate: "status::text = ANY (ARRAY['confirmed'::character varying, 'pending'::character varying]::text[])" });
    expect(sameShape(variant1, wanted)).toBe(false);
  });

  it('never adopts an INVALID, deferrable, non-unique, partial-where-ours-is-not or other-table index', () => {
    const others = [
      catalogIndex({ index_name: 'invalid', valid: false }),
      catalogIndex({ index_name: 'deferrable', immediate: false }),
      catalogIndex({ index_name: 'plain', unique: false }),
      catalogIndex({ index_name: 'total', predicate: null }),
      catalogIndex({ index_name: 'elsewhere', table: 'slots_archive' }),
      catalogIndex({ index_name: 'fewer', keys: ['candidate_tg_id'] }),
    ];
    expect(equivalentIndexes(ours, others)).toEqual([]);
    expect(invalidLikeWanted(ours, others).map((i) => i.index_name)).toEqual(['invalid']);
  });

  it('a NULLS NOT DISTINCT key is another key: not adopted, not redundant beside a plain one (PostgreSQL 15+)', () => {
    const strict = catalogIndex({ index_name: 'strict', nulls_not_distinct: true });
    expect(equivalentIndexes(ours, [strict])).toEqual([]);
    expect(redundantGroups([catalogIndex({ index_name: 'a' }), strict])).toEqual([]);
    const built = indexOfStatement(`CREATE UNIQUE INDEX CONCURRENTLY s ON slots (candidate_tg_id, recruiter_id) NULLS NOT DISTINCT
      WHERE lower(status) IN ('pending', 'booked', 'confirmed_by_candidate')`)!;
    expect(built).toMatchObject({ nulls_not_distinct: true, predicate: "lower(status) IN ('pending', 'booked', 'confirmed_by_candidate')" });
    expect(equivalentIndexes(built, [strict]).map((i) => i.index_name)).toEqual(['strict']);
  });

  it('groups the redundant unique keys of a table (schema.redundant-unique-indexes)', () => {
    const groups = redundantGroups([
      catalogIndex({ index_name: 'a' }),
      catalogIndex({ index_name: 'b', keys: ['recruiter_id', 'candidate_tg_id'] }),
      catalogIndex({ index_name: 'c', predicate: null }),
      catalogIndex({ index_name: 'd', valid: false }),
    ]);
    expect(groups.map((g) => g.map((i) => i.index_name))).toEqual([['a', 'b']]);
  });
});
