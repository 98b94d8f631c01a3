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
import { runCli } from '../fixtures/cli.js';
import { applyHandFixes, uniqueIndexes } from '../fixtures/hand-fixes.js';
import { auditReportsPlanted, repairToHealthy, seedLegacyDemo } from '../fixtures/journey.js';
import { legacySchema } from '../fixtures/schema.js';
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

  // Each major deparses index predicates its own way: the keys seed 002's fix built by hand are
  // adopted on every one (test/e2e/migrate-hand-fixed.test.ts has the whole journey).
  it("migrate up adopts the keys seed 002's fix built by hand: no second copy", async () => {
    const hand = await createDatabaseOn(server.adminUrl, `major_${major}_hand`);
    try {
      await legacySchema(hand);
      await applyHandFixes(hand, ['seed002Column', 'seed002Key', 'seed002SlotsIndex']);
      const up = await runCli(['--db', hand.url, 'migrate', 'up']);
      expect(up.code, up.stderr).toBe(0);
      expect(up.stderr).toContain('adopt: index uq_slots_candidate_recruiter_active');
      expect((await uniqueIndexes(hand, 'slots')).map((d) => d.split(':')[0])).toEqual(['uq_slots_candidate_recruiter_active']);
      expect((await uniqueIndexes(hand, 'notification_logs')).map((d) => d.split(':')[0])).toEqual(['uq_notif_type_booking_candidate']);
    } finally {
      await hand.drop();
    }
  }, 120_000);
});
