/**
 * The fix migrations 0002-0005 converge after a crash at any statement: run in-process with the
 * real runner, each stopped after each of its statements on a legacy database, then run again,
 * ends with the catalog of an uninterrupted run. (The rest of the fix-migration tests drive the
 * binary: test/e2e/migrate-fix-migrations.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeSection } from '../../../src/migrate/source.js';
import { DEFAULT_RETRY } from '../../../src/migrate/retry.js';
import { renderStatement, isCommentOnly } from '../../../src/migrate/render.js';
import { MIGRATION_VARIABLES } from '../../../src/migrate/variables.js';
import { migrateUp } from '../../../src/migrate/runner.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { catalog, legacyData } from '../../fixtures/fix-migrations.js';
import { legacySchema, runnerDepsFor } from '../../fixtures/schema.js';

describe('fix migrations converge after a crash at any statement', () => {
  const nonTransactional = ['0002', '0003', '0004', '0005']; // 0008 is one statement: its crash is the INVALID-index case of test/e2e/migrate-fix-migrations.test.ts
  let reference: string[];
  const dbs: TestDatabase[] = [];
  afterAll(async () => Promise.all(dbs.map((d) => d.drop())));

  async function legacyDb(label: string): Promise<TestDatabase> {
    const t = await createTestDatabase(label);
    dbs.push(t);
    await legacySchema(t);
    await legacyData(t);
    return t;
  }

  beforeAll(async () => {
    const t = await legacyDb('fix_reference');
    await migrateUp(await runnerDepsFor(t), {});
    reference = await catalog(t);
  });

  for (const prefix of nonTransactional) {
    it(`${prefix}: stopped after each of its statements, a new run ends where an uninterrupted one does`, async () => {
      const probe = await legacyDb(`fix_crash_${prefix}_probe`);
      const deps = await runnerDepsFor(probe);
      const migration = deps.migrations.find((m) => m.name.startsWith(prefix))!;
      const previous = deps.migrations[deps.migrations.indexOf(migration) - 1].name;
      // How many statements this migration sends on a legacy database.
      await migrateUp(deps, { to: previous });
      let count = 0;
      for (const statement of migration.up) {
        const rendered = await renderStatement(probe.db, statement, MIGRATION_VARIABLES, migration.name);
        count += rendered.filter((s) => !isCommentOnly(s.sql)).length;
      }
      expect(count).toBeGreaterThan(1);
      for (let stopAfter = 1; stopAfter < count + 1; stopAfter++) {
        const t = await legacyDb(`fix_crash_${prefix}_${stopAfter}`);
        const tdeps = await runnerDepsFor(t);
        await migrateUp(tdeps, { to: previous });
        await runPartially(t, migration.name, stopAfter);
        await migrateUp(tdeps, {});
        expect(await catalog(t), `${migration.name} stopped after statement ${stopAfter}`).toEqual(reference);
      }
    });
  }

  /** Sends the first `n` statements of a migration the way the runner does, then "crashes". */
  async function runPartially(t: TestDatabase, name: string, n: number): Promise<void> {
    const deps = await runnerDepsFor(t);
    const migration = deps.migrations.find((m) => m.name === name)!;
    let sent = 0;
    const crash = new Error('crash');
    await executeSection(t.db, migration, 'up', {
      retry: DEFAULT_RETRY,
      onStatement: (_m, sql) => {
        if (!sql || isCommentOnly(sql)) return;
        if (sent++ === n) throw crash;
      },
    }).catch((err) => {
      if (err !== crash) throw err;
    });
  }
});
