/**
 * The Citus detection (catalog/citus-extension) against the real test server: a plain
 * PostgreSQL has no citus extension, so the detection says null and `migrate up` runs as
 * always; the refusal itself is tested with the detection's result (test/unit/citus.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citusVersion } from '../../../src/data/catalog.repository.js';
import { join } from 'node:path';
import { refuseOnCitus } from '../../../src/migrate/citus.js';
import { loadMigrations } from '../../../src/migrate/migration-file.js';
import { planUp } from '../../../src/migrate/plan.js';
import { projectRoot } from '../../../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { fixedSchema } from '../../fixtures/schema.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('citus_detection');
});
afterAll(async () => t?.drop());

describe('Citus detection', () => {
  it('finds no citus extension on the test server, and migrate up runs every migration', async () => {
    const detected = await citusVersion(t.db);
    expect(detected).toBeNull();
    expect(() => refuseOnCitus(detected, [], 'up')).not.toThrow();
    const plan = await planUp(t.db, await loadMigrations(join(projectRoot(), 'migrations')));
    expect(plan.migrations.length).toBeGreaterThan(0);
    expect(plan.citusRefusal).toBeUndefined();
    await fixedSchema(t);
    expect((await t.db.raw(`SELECT count(*)::int AS n FROM bookops_migrations`)).rows[0].n).toBeGreaterThan(0);
  });

});
