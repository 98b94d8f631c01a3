/**
 * Acceptance: on the demo database, `bookops audit --json` reports exactly what `bookops demo
 * seed` planted (id by id) plus the documented legacy schema findings, and exits 1; after the
 * repairs and the migrations it exits 0, even with --fail-on warn (test/fixtures/journey.ts,
 * the same journey majors.test.ts runs on every supported PostgreSQL major).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { auditReportsPlanted, repairToHealthy, seedLegacyDemo } from '../fixtures/journey.js';

describe('acceptance: the demo database', () => {
  let t: TestDatabase;
  let planted: Record<string, { count: number }>;

  beforeAll(async () => {
    t = await createTestDatabase('audit_demo');
    planted = await seedLegacyDemo(t);
  });
  afterAll(async () => t?.drop());

  it('audit --json reports exactly the planted defects and exits 1', async () => {
    await auditReportsPlanted(t, planted);
  });

  it('after the repairs and the migrations it exits 0', async () => {
    await repairToHealthy(t, planted);
  });
});
