/**
 * What a Citus coordinator (docs/SCALE-OUT.md) does to the statements of bookops' migrations:
 * each hazard is a kind of statement whose meaning changes or that fails on distributed tables.
 * On a database where the citus extension is installed, `migrate up` and `down` refuse (exit 4)
 * the migrations that hold one, before anything runs, with one line naming the first. The rule
 * takes the detection's result (catalog.repository citusVersion), so it is tested without Citus.
 */
import { RefusedError } from '../errors.js';
import type { MigrationFile } from './migration-file.js';
import { stripComments, type SqlStatement } from './split-statements.js';

export interface CitusHazard {
  kind: 'unique-index' | 'concurrent-index' | 'trigger' | 'foreign-key' | 'correlated-update';
  /** Why it is not safe on distributed tables (docs/SCALE-OUT.md has the whole story). */
  why: string;
}

const HAZARDS: ReadonlyArray<CitusHazard & { test: RegExp }> = [
  {
    kind: 'unique-index',
    test: /\bcreate\s+unique\s+index\b|\badd\s+(constraint\s+\S+\s+)?unique\b/i,
    why: 'a unique index on a distributed table must include its distribution column; the "one active row" rules key on other columns',
  },
  {
    kind: 'concurrent-index',
    test: /\b(create|drop)\s+(unique\s+)?index\s+concurrently\b/i,
    why: 'Citus builds it shard by shard; a failed build leaves INVALID shard indexes on the workers that the coordinator\'s pg_index does not show',
  },
  {
    kind: 'trigger',
    test: /\bcreate\s+(or\s+replace\s+)?(constraint\s+)?trigger\b/i,
    why: 'a trigger on a distributed table must be created on every shard (and again after a rebalance), not on the coordinator\'s table',
  },
  {
    kind: 'foreign-key',
    test: /\bforeign\s+key\b|\breferences\s+\S+\s*\(/i,
    why: 'a foreign key between distributed tables must include both distribution columns, and a reference table cannot cascade into a distributed one',
  },
  {
    kind: 'correlated-update',
    test: /\b(update|delete\s+from)\b[\s\S]*\bwhere\b[\s\S]*\bexists\s*\(\s*select\b/i,
    why: 'a correlated subquery across shards is supported only when it is correlated on the distribution column',
  },
];

/** The hazards of one statement (comments ignored). */
export function hazardsOf(statement: string): CitusHazard[] {
  const sql = stripComments(statement);
  return HAZARDS.filter((h) => h.test.test(sql)).map(({ kind, why }) => ({ kind, why }));
}

/** The first hazard of each migration that has one, in the given direction. */
export function citusHazards(migrations: MigrationFile[], direction: 'up' | 'down'): Array<{ migration: string; line: number; hazard: CitusHazard }> {
  return migrations.flatMap((m) => {
    const statements: SqlStatement[] = (direction === 'up' ? m.up : m.down) ?? [];
    for (const s of statements) {
      const [hazard] = hazardsOf(s.sql);
      if (hazard) return [{ migration: m.name, line: s.line, hazard }];
    }
    return [];
  });
}

/**
 * Refuses (exit 4) when `citus` (the extension's version, null on a plain PostgreSQL) says this is
 * a Citus coordinator and a migration to run holds a statement Citus changes the meaning of.
 */
export function refuseOnCitus(citus: string | null, migrations: MigrationFile[], direction: 'up' | 'down'): void {
  if (citus === null) return;
  const unsafe = citusHazards(migrations, direction);
  if (unsafe.length === 0) return;
  const [first] = unsafe;
  const more = unsafe.length > 1 ? ` (and ${unsafe.length - 1} more: ${unsafe.slice(1).map((u) => u.migration).join(', ')})` : '';
  throw new RefusedError(
    `refused on a Citus coordinator (citus ${citus}): ${first.migration}:${first.line}: ${first.hazard.kind}: ${first.hazard.why}${more}`,
    { hint: 'docs/SCALE-OUT.md says what bookops would have to do on Citus' },
  );
}
