/**
 * The journey of a legacy database to healthy (test/fixtures/journey.ts: seed, audit, the
 * repairs, migrate up, chats verify --backfill, audit healthy) on every PostgreSQL major the
 * README promises that the test server is not: each a cluster of its own, started by bookops'
 * own cluster code from that major's binaries (test/fixtures/servers.ts; 14 is installed into
 * .bookops/postgres-14 on first use). The test server runs the same journey in audit-demo.test.ts:
 * CI's two passes use 17 (embedded) and 15 (the system server).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabaseOn, type TestDatabase } from '../fixtures/db.js';
import { auditReportsPlanted, repairToHealthy, seedLegacyDemo } from '../fixtures/journey.js';
import { startServer, type Server } from '../fixtures/servers.js';

describe.each([14, 16, 18])('PostgreSQL %i', (major) => {
  let server: Server;
  let t: TestDatabase;
  let planted: Record<string, { count: number }>;

  beforeAll(async () => {
    server = await startServer(major);
    t = await createDatabaseOn(server.adminUrl, `major_${major}`);
    const { rows } = await t.db.raw(`SELECT current_setting('server_version_num')::int / 10000 AS major`);
    expect(rows[0].major).toBe(major);
    planted = await seedLegacyDemo(t);
  }, 600_000);
  afterAll(async () => {
    await t?.drop();
    await server?.stop();
  });

  it('audit reports exactly the planted defects', async () => {
    await auditReportsPlanted(t, planted);
  });

  it('the repairs, migrate up and the backfill leave it healthy', async () => {
    await repairToHealthy(t, planted);
  }, 600_000);
});
