/**
 * A site's triggers change rows after bookops' own statements: an AFTER UPDATE trigger that
 * touches the parent row, an AFTER INSERT trigger that fills a column. The archive must hold the
 * rows as the operation left them (triggers included), or `archive restore` refuses an operation
 * nobody touched since as "changed since". Commands run in-process, as the binary runs them.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import restore from '../../../src/commands/archive/restore.js';
import retryFailed from '../../../src/commands/outbox/retry-failed.js';
import reassign from '../../../src/commands/slots/reassign.js';
import release from '../../../src/commands/slots/release.js';
import resolveDuplicates from '../../../src/commands/slots/resolve-duplicates.js';
import deactivate from '../../../src/commands/whatsapp/deactivate.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { inProcess } from '../../fixtures/in-process.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';
import { legacySchema } from '../../fixtures/schema.js';
import { addOutbox, plantNumber } from '../../fixtures/support.js';

/** Every row of the tables, as text: equal before the run and after its restore. */
async function rowsOf(t: TestDatabase, tables: string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await t.db.raw('SELECT to_jsonb(x)::text AS r FROM ?? AS x', [table]);
    out[table] = rows.map((r: { r: string }) => r.r).sort();
  }
  return out;
}

describe('archive restore after a run that fired triggers of the site', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase('archive_site_triggers');
    await legacySchema(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  it('an AFTER UPDATE trigger touching the parent of an updated row: the restore puts both back', async () => {
    await t.db.raw(`
      CREATE FUNCTION touch_number() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE whatsapp_numbers SET updated_at = now() + interval '1 second' WHERE id = NEW.whatsapp_number_id; RETURN NULL; END $$;
      CREATE TRIGGER bots_touch_number AFTER UPDATE ON bots FOR EACH ROW EXECUTE FUNCTION touch_number();`);
    await plantNumber(t.db, '+7 900 555-10-01');
    const before = await rowsOf(t, ['whatsapp_numbers', 'bots']);
    const run = await deactivate.run(ctx({ yes: true }), { number: '+7 900 555-10-01' } as never);
    expect(run.archiveOperation).toBeDefined();
    const undone = await restore.run(ctx({ yes: true }), { operation: run.archiveOperation } as never);
    expect(undone.restored).toBeTruthy();
    await t.db.raw('DROP TRIGGER bots_touch_number ON bots');
    expect(await rowsOf(t, ['whatsapp_numbers', 'bots'])).toEqual(before);
  });

  it('an AFTER INSERT trigger filling a column of the messages a run enqueues: the restore removes them', async () => {
    await t.db.raw(`
      CREATE FUNCTION set_correlation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN UPDATE outbox_notifications SET correlation_id = md5(NEW.id::text) WHERE id = NEW.id AND correlation_id IS NULL; RETURN NULL; END $$;
      CREATE TRIGGER outbox_set_correlation AFTER INSERT ON outbox_notifications FOR EACH ROW EXECUTE FUNCTION set_correlation();`);
    const r = await addRecruiter(t.db);
    await addSlot(t.db, r.id, { status: 'pending', candidateTgId: 9_300_000_001 });
    await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: 9_300_000_001 });
    const before = await rowsOf(t, ['slots', 'outbox_notifications']);
    const run = await resolveDuplicates.run(ctx({ yes: true }), { byRule: true } as never);
    expect(run.result!.released).toHaveLength(1);
    expect((await t.db('outbox_notifications').whereNotNull('correlation_id')).length).toBe(1);
    const undone = await restore.run(ctx({ yes: true }), { operation: run.archiveOperation } as never);
    expect(undone.restored).toBeTruthy();
    expect(await rowsOf(t, ['slots', 'outbox_notifications'])).toEqual(before);
  });
});

describe('archive restore in another time zone than the run', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase('archive_time_zone');
    await legacySchema(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  it('compares the rows as values, not as the text of the time zone each session wrote them in', async () => {
    const r = await addRecruiter(t.db);
    await addSlot(t.db, r.id, { status: 'pending', candidateTgId: 9_400_000_001 });
    await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: 9_400_000_001 });
    const before = await rowsOf(t, ['slots', 'outbox_notifications']);
    await t.db.raw(`ALTER DATABASE ${t.name} SET timezone = 'UTC'`);
    const run = await resolveDuplicates.run(ctx({ yes: true }), { byRule: true } as never);
    expect(run.result!.released).toHaveLength(1);
    // Another operator's session: its role (or the database) in another zone.
    await t.db.raw(`ALTER DATABASE ${t.name} SET timezone = 'Asia/Tokyo'`);
    await closeAll();
    const undone = await restore.run(ctx({ yes: true }), { operation: run.archiveOperation } as never);
    expect(undone.restored).toBeTruthy();
    await t.db.raw(`ALTER DATABASE ${t.name} RESET timezone`);
    expect(await rowsOf(t, ['slots', 'outbox_notifications'])).toEqual(before);
  });
});

describe('archive restore after a trigger of the site changed a row the run inserted', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase('archive_site_trigger_inserted');
    await legacySchema(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  it('a slot trigger touching the pending messages of the slot, after the run enqueued one: the restore removes it', async () => {
    // reassign enqueues the previous holder's message, then updates the slot again (reserve, approve).
    await t.db.raw(`
      CREATE FUNCTION touch_pending() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        UPDATE outbox_notifications SET next_retry_at = now()
        WHERE booking_id = NEW.id AND lower(status) = 'pending' AND next_retry_at IS DISTINCT FROM now();
        RETURN NULL;
      END $$;
      CREATE TRIGGER slots_touch_pending AFTER UPDATE ON slots FOR EACH ROW EXECUTE FUNCTION touch_pending();`);
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: 9_500_000_001 });
    const before = await rowsOf(t, ['slots', 'outbox_notifications', 'notification_logs', 'slot_reminder_jobs']);
    const run = await reassign.run(ctx({ yes: true }), { slot, candidate: 9_500_000_002 } as never);
    expect(run.archiveOperation).toBeDefined();
    expect((await t.db('outbox_notifications').whereNotNull('next_retry_at')).length).toBeGreaterThan(0);
    const undone = await restore.run(ctx({ yes: true }), { operation: run.archiveOperation } as never);
    expect(undone.restored).toBeTruthy();
    expect(await rowsOf(t, ['slots', 'outbox_notifications', 'notification_logs', 'slot_reminder_jobs'])).toEqual(before);
  });
});

describe('a domain check added NOT VALID, which rows of the run or of its archive break', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase('archive_not_valid_domain');
    await legacySchema(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  it('a release of a slot whose legacy status the check forbids runs: its image is read by its key only', async () => {
    await t.db.raw(`CREATE DOMAIN slot_status AS varchar(32);
      ALTER TABLE slots ALTER COLUMN status TYPE slot_status;
      ALTER DOMAIN slot_status ADD CONSTRAINT slot_status_lower CHECK (VALUE = lower(VALUE)) NOT VALID`);
    const r = await addRecruiter(t.db);
    // Written before the check: the legacy upper case it now forbids.
    await t.db.raw('ALTER DOMAIN slot_status DROP CONSTRAINT slot_status_lower');
    const slot = await addSlot(t.db, r.id, { status: 'BOOKED', candidateTgId: 9_600_000_001 });
    await t.db.raw('ALTER DOMAIN slot_status ADD CONSTRAINT slot_status_lower CHECK (VALUE = lower(VALUE)) NOT VALID');
    const run = await release.run(ctx({ yes: true }), { slot, reason: 'reschedule' } as never);
    expect(run.archiveOperation).toBeDefined();
    expect((await t.db('slots').where({ id: slot }).first()).status).toBe('free');
  });

  it('a restore whose run wrote a value a check added since forbids: the image equal as text is not read back', async () => {
    await t.db.raw(`CREATE DOMAIN attempts_count AS integer; ALTER TABLE outbox_notifications ALTER COLUMN attempts TYPE attempts_count`);
    await addOutbox(t.db, { type: 'x_not_valid', status: 'failed' });
    const before = await rowsOf(t, ['outbox_notifications']);
    const run = await retryFailed.run(ctx({ yes: true }), { type: 'x_not_valid' } as never);
    // The retry set attempts to 0, which the check added now forbids (NOT VALID: rows stay as they are).
    await t.db.raw('ALTER DOMAIN attempts_count ADD CONSTRAINT attempts_positive CHECK (VALUE > 0) NOT VALID');
    const undone = await restore.run(ctx({ yes: true }), { operation: run.archiveOperation } as never);
    expect(undone.restored).toBeTruthy();
    expect(await rowsOf(t, ['outbox_notifications'])).toEqual(before);
  });
});
