/** src/audit/chats/when-condition.ts: trigger WHEN conditions compared as PostgreSQL stores them, no database. */
import { describe, expect, it } from 'vitest';
import { canonicalCondition, whenClause } from '../../src/chats/when-condition.js';

describe('trigger WHEN conditions', () => {
  // What PostgreSQL prints back (pg_get_triggerdef) for what a migration writes.
  const stored =
    "CREATE TRIGGER t AFTER UPDATE OF status ON public.bookings FOR EACH ROW WHEN (((lower((new.status)::text) = 'active'::text) AND " +
    '((lower((old.status)::text) IS DISTINCT FROM lower((new.status)::text)) OR (old.deleted_at IS NOT NULL)))) EXECUTE FUNCTION f()';
  const written = "lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)";

  it('compares what Postgres stores with what the migration wrote: casts, case, parentheses and whitespace aside', () => {
    expect(whenClause(stored)).toMatch(/^\(\(lower\(\(new\.status\)::text\) = 'active'::text\) AND .*IS NOT NULL\)\)\)$/);
    expect(canonicalCondition(whenClause(stored)!)).toBe(canonicalCondition(written));
    expect(canonicalCondition("(a)::character varying(5) = 'x'::timestamp without time zone")).toBe(canonicalCondition("a = 'x'"));
    expect(whenClause('CREATE TRIGGER t AFTER INSERT ON b FOR EACH ROW EXECUTE FUNCTION f()')).toBeUndefined();
    expect(whenClause("... WHEN (new.s = ')(') EXECUTE FUNCTION f()")).toBe("new.s = ')('");
  });

  it('tells different conditions apart', () => {
    for (const other of [
      'false',
      "lower(NEW.status) = 'ACTIVE' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)",
      "lower(NEW.status) = 'active' AND lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL",
      "lower(NEW.status) = 'active' AND (lower(OLD.status) IS NOT DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL)",
      "lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NULL)",
      "NOT (lower(NEW.status) = 'active' AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL))",
    ]) {
      expect(canonicalCondition(other), other).not.toBe(canonicalCondition(written));
    }
    expect(canonicalCondition('a AND b OR c')).not.toBe(canonicalCondition('a AND (b OR c)'));
    expect(canonicalCondition('x IN (1, 2)')).toBeUndefined();
  });
});
