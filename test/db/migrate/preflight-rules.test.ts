/**
 * Every fix migration whose preflight names a rule (`-- bookops:rule <id>`) reads the rule the
 * audit and the repair read. On the demo database (the legacy schema, every defect of the
 * write-ups planted, and seed 000's constraint dropped by hand): wherever a preflight would refuse `migrate up`, the audit has findings (the
 * check of the rule's id reports exactly the preflight's rows), and the repair the preflight names
 * (the one that check names) clears the preflight and the check together. So the audit can never
 * call healthy a database that `migrate up` refuses, and the repair it names is always enough.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../../src/audit/registry.js';
import { runAudit } from '../../../src/audit/runner.js';
import type { CheckDefinition } from '../../../src/audit/types.js';
import cleanStale from '../../../src/commands/notifications/clean-stale.js';
import dedupe from '../../../src/commands/outbox/dedupe.js';
import resolveDuplicates from '../../../src/commands/slots/resolve-duplicates.js';
import { seedDemo } from '../../../src/demo/seed.js';
import type { Context } from '../../../src/io/context.js';
import { loadMigrations, type MigrationFile } from '../../../src/migrate/migration-file.js';
import { runPreflight } from '../../../src/migrate/preflight.js';
import { PREFLIGHT_RULES } from '../../../src/migrate/preflight-rules.js';
import { migrationsDir } from '../../../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { inProcess } from '../../fixtures/in-process.js';
import { legacySchema } from '../../fixtures/schema.js';
import { addInterview, addTimeSlot } from '../../fixtures/support.js';

type Command = { run(ctx: Context, input: never): Promise<unknown> };

/** The repairs a preflight may name, as `<repair> --yes` runs them. */
const REPAIRS: Record<string, [Command, Record<string, unknown>]> = {
  'bookops slots resolve-duplicates': [resolveDuplicates, { byRule: true, batchSize: 10_000 }],
  'bookops notifications clean-stale': [cleanStale, {}],
  'bookops outbox dedupe': [dedupe, {}],
};

const ruled = (await loadMigrations(migrationsDir())).filter((m) => m.preflight?.rule);

/** "... (resolve with: bookops outbox dedupe)" */
function resolveWith(m: MigrationFile): string {
  const found = /\(resolve with: (bookops [^)]+)\)/.exec(m.preflight!.description);
  expect(found, `${m.name}: its preflight names what resolves it`).not.toBeNull();
  return found![1];
}

describe('preflight rules are the audit\'s rules, and the repair the audit names clears them', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true, yes: true });
  beforeAll(async () => {
    t = await createTestDatabase('preflight_rules');
    await legacySchema(t);
    await seedDemo(t.db, { scale: 1000, target: 'test' });
    // The legacy UNIQUE (time_slot_id) forbids what 0002's preflight looks for; a DBA who dropped
    // it by hand, as seed 000's write-up suggests, before the partial index, lets a slot take two.
    await t.db.raw('ALTER TABLE interviews DROP CONSTRAINT interviews_time_slot_id_key');
    const slot = await addTimeSlot(t.db);
    await addInterview(t.db, slot, 9_100_000_001, 'pending');
    await addInterview(t.db, slot, 9_100_000_002, 'CONFIRMED');
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  const preflight = async (m: MigrationFile) => (await runPreflight(t.db, m, { refuse: false }))!;
  const audit = async (check: CheckDefinition) =>
    (await runAudit(t.db, { checks: [check], sample: 1000, thresholds: [], migrationsDir: migrationsDir() })).checks[0];

  it('every registered rule is named by a migration', () => {
    expect(ruled.map((m) => m.preflight!.rule).sort()).toEqual(Object.keys(PREFLIGHT_RULES).sort());
  });

  it.each(ruled.map((m) => [m.name, m] as const))('%s', async (_name, m) => {
    const rule = m.preflight!.rule!;
    const resolve = resolveWith(m);
    const before = await preflight(m);
    expect(before.violations, 'the demo plants what this preflight refuses').toBeGreaterThan(0);

    // The check of the rule's id, else the check whose repair the preflight names.
    const check = CHECKS.find((c) => c.id === rule) ?? CHECKS.find((c) => c.repair === resolve);
    expect(check, `an audit check reads ${rule}`).toBeDefined();
    const found = await audit(check!);
    expect(found.status).toBe('finding');
    if (check!.id === rule) {
      expect(found.count).toBe(before.violations);
    } else {
      // A part of the check's rule (0008: the duplicate outbox keys without a candidate): every
      // message the preflight names is among the duplicates the check reports.
      const reported = new Set(found.sample.flatMap((r) => (r.ids as unknown[]).map(Number)));
      const named = before.sample.flatMap((r) => (r.outbox_ids as unknown[]).map(Number));
      expect(named.length).toBeGreaterThan(0);
      expect(named.filter((id) => !reported.has(id))).toEqual([]);
    }

    if (resolve === `bookops audit ${rule}`) return; // resolved by hand, from the audit's sample (docs/CHECKS.md)
    expect(check!.repair, 'the preflight and the audit name the same repair').toBe(resolve);
    const [command, input] = REPAIRS[resolve];
    await command.run(ctx(), input as never);
    expect((await preflight(m)).violations, `${resolve} clears the preflight`).toBe(0);
    expect((await audit(check!)).count, `${resolve} clears ${check!.id}`).toBe(0);
  });
});
