/**
 * A restore the database refuses, through the binary: each failure is a conflict (exit 6) on one
 * line naming what blocks it (a parent deleted since, another row holding a unique key), the dry
 * run says the same with its "dry run:" prefix, and nothing is restored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { legacySchema } from '../fixtures/schema.js';
import { invokedOn } from '../fixtures/cli.js';
import { addInterview, addLog, addTimeSlot, ALL_TABLES, cli, cliJson, expectOneLineError, tables } from '../fixtures/support.js';

describe('archive restore refused by the database', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('archive_restore_errors');
    await legacySchema(t);
  });
  afterAll(async () => t?.drop());

  /** The restore and its rehearsal both fail with `message`, exit 6, and change nothing. */
  async function expectRefused(op: number, message: string): Promise<void> {
    const before = await tables(t.db, ALL_TABLES);
    expectOneLineError(await cli(t, '--dry-run', 'archive', 'restore', String(op)), 6, `bookops: dry run: ${message} (${invokedOn(t.url)} archive show ${op} lists what the operation changed)`);
    expectOneLineError(await cli(t, '--yes', 'archive', 'restore', String(op)), 6, `bookops: ${message} (${invokedOn(t.url)} archive show ${op} lists what the operation changed)`);
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);
  }

  it('logs of a slot deleted since: the foreign key is named, nothing restored', async () => {
    const slot = await addSlot(t.db, (await addRecruiter(t.db)).id);
    await addLog(t.db, slot, 42);
    const done = await cliJson(t, '--yes', 'notifications', 'clean-stale', '--slot', String(slot));
    await t.db('slots').where({ id: slot }).delete();
    await expectRefused(
      done.archiveOperation,
      `cannot restore: notification_logs rows refer to a row of slots that no longer exists: (booking_id)=(${slot}) (notification_logs_booking_id_fkey); nothing was restored`,
    );
  });

  it('a cancelled interview whose slot was booked since: the unique key is named, not "the same key is back"', async () => {
    const slot = await addTimeSlot(t.db);
    await addInterview(t.db, slot, 501, 'cancelled');
    const done = await cliJson(t, '--yes', 'interviews', 'clean-cancelled', '--slot', String(slot));
    await addInterview(t.db, slot, 502, 'confirmed');
    await expectRefused(
      done.archiveOperation,
      `cannot restore: another row of interviews holds (time_slot_id)=(${slot}) now (interviews_time_slot_id_key), so the rows cannot be put back; nothing was restored`,
    );
  });

  it('a released slot whose candidate took another slot of the recruiter since: the unique index is named, by the dry run too', async () => {
    const r = await addRecruiter(t.db);
    const A = 7_500_000_001;
    const first = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: A });
    const second = await addSlot(t.db, r.id);
    const done = await cliJson(t, '--yes', 'slots', 'release', String(first));
    await t.db('slots').where({ id: second }).update({ status: 'pending', candidate_tg_id: A });
    await expectRefused(
      done.archiveOperation,
      `cannot restore: another row of slots holds (candidate_tg_id, recruiter_id)=(${A}, ${r.id}) now (uq_slots_candidate_recruiter_active), so the rows cannot be set back; nothing was restored`,
    );
  });
});
