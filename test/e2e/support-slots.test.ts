/**
 * bookops slots release | reassign | resolve-duplicates through the binary, on the legacy
 * schema (and reassign after migration 0004): the reject / reserve / approve rules move the
 * logs, reminder jobs and outbox; the archive holds what was removed or changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { fixedSchema, legacySchema } from '../fixtures/schema.js';
import { addJob, addLog, archived, cli, cliJson, count, expectOneLineError, RECRUITING_TABLES, tables } from '../fixtures/support.js';

const A = 7_100_000_001;
const B = 7_100_000_002;

describe('slots support commands on the legacy schema', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_slots_legacy');
    await legacySchema(t);
  });
  afterAll(async () => t?.drop());

  it('release: frees the slot, archives its logs and reminder jobs, tells the candidate once; restore puts them back', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'BOOKED', candidateTgId: A });
    await addLog(t.db, slot, A);
    await addJob(t.db, slot, 'confirm_2h');
    await addJob(t.db, slot, 'remind_1h');
    // A's approval has not gone out yet: the release supersedes it (it is never sent).
    await t.db('outbox_notifications').insert({ booking_id: slot, type: 'interview_confirmed', candidate_tg_id: A, status: 'pending' });
    const before = await tables(t.db, RECRUITING_TABLES);

    const dry = await cliJson(t, '--dry-run', 'slots', 'release', String(slot));
    expect(dry.plan).toMatchObject({
      reason: 'reschedule',
      message: { type: 'candidate_reschedule', candidateTgId: A },
      slot: { logs: 1, reminder_jobs: 2 },
      superseded: { messages: 1, unsent: 1, inFlight: 0 },
    });
    expect(dry.plan.summary).toContain(`archive 1 earlier outbox message(s) of candidate ${A} (1 not sent yet: never will be)`);
    // The rows the rules would archive, as they are now: the slot, its logs and jobs, A's approval.
    expect(dry.plan.changes.map((c: { table: string; change: string; total: number; rows: unknown[] }) => [c.table, c.change, c.total, c.rows.length])).toEqual([
      ['slots', 'update', 1, 1],
      ['notification_logs', 'delete', 1, 1],
      ['slot_reminder_jobs', 'delete', 2, 2],
      ['outbox_notifications', 'delete', 1, 1],
    ]);
    expect(dry.plan.changes[3].rows[0]).toMatchObject({ type: 'interview_confirmed', candidate_tg_id: A, status: 'pending' });
    const shown = await cli(t, '--dry-run', 'slots', 'release', String(slot), '--sample', '1');
    expect(shown.stdout).toContain('slot_reminder_jobs, archived then deleted: first 1 of 2 row(s)');
    expect(shown.stdout).toContain(`outbox_notifications (earlier messages of candidate ${A}), archived then deleted: 1 row(s)`);
    expectOneLineError(await cli(t, 'slots', 'release', String(slot)), 4, /refusing to release slot/);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);

    const done = await cliJson(t, '--yes', 'slots', 'release', String(slot));
    expect(done.result).toMatchObject({ freed: true, candidateTgId: A, outbox: { created: true, row: { type: 'candidate_reschedule', candidate_tg_id: A } } });
    expect(await archived(t.db, done.archiveOperation)).toEqual({
      'slots:updated': 1,
      'notification_logs:deleted': 1,
      'slot_reminder_jobs:deleted': 2,
      // the superseded approval, and the message to the candidate (recorded so a restore removes it too)
      'outbox_notifications:deleted': 1,
      'outbox_notifications:inserted': 1,
    });
    expect(await t.db('slots').where({ id: slot }).first()).toMatchObject({ status: 'free', candidate_tg_id: null });
    expect(await t.db('outbox_notifications').where({ booking_id: slot }).select('type', 'status')).toEqual([{ type: 'candidate_reschedule', status: 'pending' }]);

    const again = await cliJson(t, '--yes', 'slots', 'release', String(slot));
    expect(again).toMatchObject({ nothingToDo: true });

    const restore = await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation));
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restored operation \d+ \(slots\.release\): 1 outbox_notifications reinserted, 2 slot_reminder_jobs reinserted, 1 notification_logs reinserted, 1 slots set back, 1 outbox_notifications removed\n/);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });

  it('restore refuses to overwrite a slot someone booked since the release, and changes nothing', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: A });
    await addLog(t.db, slot, A);
    const done = await cliJson(t, '--yes', 'slots', 'release', String(slot));
    // The bot gives the freed slot to another candidate.
    await t.db('slots').where({ id: slot }).update({ status: 'pending', candidate_tg_id: B });
    const after = await tables(t.db, RECRUITING_TABLES);

    // The dry run rehearses the restore, so it already knows.
    expectOneLineError(
      await cli(t, '--dry-run', 'archive', 'restore', String(done.archiveOperation)),
      6,
      /dry run: cannot restore: a row this operation changed in slots was changed or deleted since; nothing was restored/,
    );
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(after);
    expectOneLineError(
      await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation)),
      6,
      /cannot restore: a row this operation changed in slots was changed or deleted since; nothing was restored/,
    );
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(after);
    // Still restorable once the slot is as the release left it.
    await t.db('slots').where({ id: slot }).update({ status: 'free', candidate_tg_id: null });
    expect((await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation))).code).toBe(0);
    expect(await t.db('slots').where({ id: slot }).first()).toMatchObject({ status: 'booked', candidate_tg_id: A });
  });

  it('release --reason reject enqueues the rejection', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'pending', candidateTgId: A });
    const done = await cliJson(t, '--yes', 'slots', 'release', String(slot), '--reason', 'reject');
    expect(done.result.outbox.row).toMatchObject({ type: 'candidate_rejection', candidate_tg_id: A, status: 'pending' });
  });

  it('release says what became of the slot: a canceled one keeps its status, a slot nobody held names no candidate', async () => {
    const r = await addRecruiter(t.db);
    const canceled = await addSlot(t.db, r.id, { status: 'canceled', candidateTgId: A });
    const held = await cli(t, '--yes', 'slots', 'release', String(canceled));
    expect(held.code, held.stderr).toBe(0);
    expect(held.stdout).toContain(`released slot ${canceled}: its candidate cleared (it stays canceled); archived 0 notification log(s), 0 reminder job(s), 0 earlier outbox message(s) of candidate ${A}`);
    expect(await t.db('slots').where({ id: canceled }).first()).toMatchObject({ status: 'canceled', candidate_tg_id: null });

    const nobody = await addSlot(t.db, r.id, { status: 'canceled' });
    await addLog(t.db, nobody, A);
    const left = await cli(t, '--yes', 'slots', 'release', String(nobody));
    expect(left.code, left.stderr).toBe(0);
    expect(left.stdout).toContain(`released slot ${nobody}: nobody held it; archived 1 notification log(s), 0 reminder job(s)\n`);
    expect(left.stdout).not.toContain('candidate null');
  });

  it('reassign: the previous holder is told, the new candidate gets approval, log and outbox; refusals change nothing', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: A });
    const staleLog = await addLog(t.db, slot, A);
    const before = await tables(t.db, RECRUITING_TABLES);

    const done = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B), '--name', 'Борис');
    expect(done.plan).toMatchObject({ renotifyOnly: false, previousCandidateTgId: A });
    expect(done.result.released.outbox.row).toMatchObject({ type: 'candidate_reschedule', candidate_tg_id: A });
    expect(done.result.approved).toMatchObject({ candidateTgId: B, outbox: { created: true, row: { type: 'interview_confirmed', candidate_tg_id: B } } });
    expect(await t.db('slots').where({ id: slot }).first()).toMatchObject({ status: 'booked', candidate_tg_id: B, candidate_fio: 'Борис' });
    const logs = await t.db('notification_logs').where({ booking_id: slot });
    expect(logs).toHaveLength(1);
    expect(JSON.parse(logs[0].payload)).toMatchObject({ candidate_tg_id: B });
    // changed: the slot (released, then approved); removed: A's log (the reject rule archives every
    // log of the slot); inserted: A's reschedule message, B's log, approval and reminder jobs.
    expect(await archived(t.db, done.archiveOperation)).toEqual({
      'slots:updated': 2,
      'notification_logs:deleted': 1,
      'notification_logs:inserted': 1,
      'outbox_notifications:inserted': 2,
      'slot_reminder_jobs:inserted': await count(t.db, 'SELECT count(*) FROM slot_reminder_jobs WHERE slot_id = :slot', { slot }),
    });

    // Undo: the restore removes what the rules inserted and puts A's state back.
    const restore = await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation));
    expect(restore.code).toBe(0);
    expect(restore.stdout).toMatch(/restored operation \d+ \(slots\.reassign\): 1 notification_logs reinserted, 2 slots set back, \d+ slot_reminder_jobs removed, 2 outbox_notifications removed, 1 notification_logs removed\n/);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
    expect(await count(t.db, 'SELECT count(*) FROM notification_logs WHERE id = :staleLog', { staleLog })).toBe(1);
  });

  it('reassign of a free slot: restore gives it back free, row for row', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id);
    // B was turned down for this slot once (sent): the new approval supersedes that message.
    await t.db('outbox_notifications').insert({ booking_id: slot, type: 'candidate_rejection', candidate_tg_id: B, status: 'sent' });
    const before = await tables(t.db, RECRUITING_TABLES);
    const dry = await cliJson(t, '--dry-run', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(dry.plan.superseded).toEqual({ previous: null, candidate: { messages: 1, unsent: 0, inFlight: 0 } });
    // Every row the run archives before changing it: the slot twice (before the reservation, then
    // before the approval books it), as the archive holds it.
    expect(dry.plan.changes.map((c: { table: string; of?: string; total: number }) => [c.table, c.of ?? null, c.total])).toEqual([
      ['slots', null, 1],
      ['slots', null, 1],
      ['notification_logs', null, 0],
      ['slot_reminder_jobs', null, 0],
      ['outbox_notifications', `earlier messages of candidate ${B}`, 1],
    ]);
    expect(dry.plan.summary).toContain(`archived too: 1 earlier outbox message(s) of candidate ${B}`);
    const done = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(done.result.released).toBeNull();
    expect(done.result.approved.supersededMessages).toMatchObject([{ type: 'candidate_rejection', status: 'sent' }]);
    expect(await t.db('slots').where({ id: slot }).first()).toMatchObject({ status: 'booked', candidate_tg_id: B });
    const restore = await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation));
    expect(restore.code, restore.stderr).toBe(0);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
    expect(await t.db('slots').where({ id: slot }).first()).toMatchObject({ status: 'free', candidate_tg_id: null });
  });

  it('reassign refuses a candidate holding another slot of the recruiter, and a canceled slot', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: A });
    const other = await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: B });
    const canceled = await addSlot(t.db, r.id, { status: 'canceled' });
    const before = await tables(t.db, RECRUITING_TABLES);
    expectOneLineError(
      await cli(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B)),
      6,
      new RegExp(`candidate ${B} already holds slot ${other} \\(confirmed_by_candidate\\) of this recruiter`),
    );
    expectOneLineError(await cli(t, '--yes', 'slots', 'reassign', String(canceled), '--candidate', String(B)), 6, /has status 'canceled'/);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });

  it('resolve-duplicates: the stated rule, --keep, refusals; committed batches under one operation; restore', async () => {
    await t.db.raw('TRUNCATE slots, recruiters, outbox_notifications, notification_logs, slot_reminder_jobs RESTART IDENTITY CASCADE');
    const r = await addRecruiter(t.db);
    const C = 7_200_000_001;
    const D = 7_200_000_002;
    // C: an earlier booked slot and a later confirmed one (the legacy index leaves confirmed out).
    const c1 = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: C });
    const c2 = await addSlot(t.db, r.id, { status: 'Confirmed_By_Candidate', candidateTgId: C });
    // D: two confirmed slots: the earlier one is kept.
    const d1 = await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: D });
    const d2 = await addSlot(t.db, r.id, { status: 'CONFIRMED_BY_CANDIDATE', candidateTgId: D });
    await addLog(t.db, c1, C);
    await addJob(t.db, c1, 'remind_1h');
    // C's approval of the slot to release is still queued; D's confirmation of the kept one stays.
    await t.db('outbox_notifications').insert([
      { booking_id: c1, type: 'interview_confirmed', candidate_tg_id: C, status: 'pending' },
      { booking_id: d1, type: 'candidate_confirmed', candidate_tg_id: D, status: 'sent' },
    ]);
    const before = await tables(t.db, RECRUITING_TABLES);

    const dry = await cliJson(t, '--dry-run', 'slots', 'resolve-duplicates');
    expect(dry.plan.superseded).toEqual({ messages: 1, unsent: 1, inFlight: 0 });
    expect(dry.plan.groups.map((g: { candidateTgId: number; keep: number; release: number[]; keptBy: string }) => [g.candidateTgId, g.keep, g.release, g.keptBy])).toEqual([
      [C, c2, [c1], 'rule'],
      [D, d1, [d2], 'rule'],
    ]);
    // A group names its slots by id (the rows are in the sample), the kept one first.
    expect(dry.plan.groups.map((g: { slots: unknown[] }) => g.slots)).toEqual([[c2, c1], [d1, d2]]);
    expect(dry.plan.sample.rows.map((s: { slot: number }) => s.slot)).toEqual([c2, c1, d1, d2]);
    const keep = await cliJson(t, '--dry-run', 'slots', 'resolve-duplicates', '--keep', String(d2));
    expect(keep.plan.groups[1]).toMatchObject({ keep: d2, release: [d1], keptBy: '--keep' });
    expectOneLineError(await cli(t, '--dry-run', 'slots', 'resolve-duplicates', '--keep', '999999'), 2, /--keep 999999: slot 999999 is not one of several active slots/);
    expectOneLineError(await cli(t, '--dry-run', 'slots', 'resolve-duplicates', '--keep', String(c1), String(c2)), 2, /keep one/);
    expectOneLineError(await cli(t, 'slots', 'resolve-duplicates'), 4, /not on a terminal/);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);

    const done = await cliJson(t, '--yes', 'slots', 'resolve-duplicates', '--batch-size', '1');
    expect(done.result.released.map((x: { slotId: number }) => x.slotId)).toEqual([c1, d2]);
    expect(done.result).toMatchObject({ batches: 2, skipped: [] });
    const op = done.archiveOperation;
    expect(await archived(t.db, op)).toEqual({
      'slots:updated': 2,
      'notification_logs:deleted': 1,
      'slot_reminder_jobs:deleted': 1,
      'outbox_notifications:deleted': 1,
      'outbox_notifications:inserted': 2,
    });
    expect(await count(t.db, 'SELECT count(DISTINCT xmin::text) FROM bookops_archive_rows WHERE operation_id = :op', { op })).toBe(2);
    expect(await count(t.db, `SELECT count(*) FROM outbox_notifications WHERE type <> 'candidate_rejection'`)).toBe(1);
    expect(await count(t.db, `SELECT count(*) FROM outbox_notifications WHERE type = 'candidate_rejection'`)).toBe(2);
    const audit = await cli(t, '--json', 'audit', 'recruiting.double-booking');
    expect(JSON.parse(audit.stdout).checks[0]).toMatchObject({ id: 'recruiting.double-booking', count: 0 });

    expect((await cli(t, '--yes', 'archive', 'restore', String(op))).code).toBe(0);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });
});

describe('slots reassign after migration 0004 (logs keyed by candidate)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_slots_fixed');
    await fixedSchema(t);
  });
  afterAll(async () => t?.drop());

  it('re-notifies the candidate who already holds the slot: stale log archived, own log and approval recorded', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: B });
    await addLog(t.db, slot, A, 'slot_approved', true);
    const done = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(done.plan).toMatchObject({ renotifyOnly: true });
    expect(done.result).toMatchObject({ released: null, approved: { log: { created: true }, outbox: { created: true } } });
    expect(await t.db('notification_logs').where({ booking_id: slot }).select('candidate_tg_id')).toEqual([{ candidate_tg_id: B }]);
    expect(await archived(t.db, done.archiveOperation)).toEqual({
      'notification_logs:deleted': 1,
      'notification_logs:inserted': 1,
      'outbox_notifications:inserted': 1,
      'slot_reminder_jobs:inserted': await count(t.db, 'SELECT count(*) FROM slot_reminder_jobs WHERE slot_id = :slot', { slot }),
    });
    expect(done.plan.summary).toMatch(/^re-send the approval of slot/);

    // Asked again while the approval is still queued (pending): nothing to do, no archive operation,
    // and the queued message is not refreshed (its attempts stay), as docs/SUPPORT.md says.
    await t.db('outbox_notifications').where({ booking_id: slot, type: 'interview_confirmed' }).update({ attempts: 1 });
    const queuedOps = await count(t.db, 'SELECT count(*) FROM bookops_archive_operations');
    const queued = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(queued.plan.summary).toMatch(/their approval \(interview_confirmed\) is still queued \(pending\) and is not enqueued again/);
    expect(queued).toMatchObject({ nothingToDo: true, result: { approved: { outbox: { created: false, refreshed: false, row: { status: 'pending', attempts: 1 } } } } });
    expect(queued.archiveOperation).toBeUndefined();
    expect(await count(t.db, 'SELECT count(*) FROM bookops_archive_operations')).toBe(queuedOps);
    const queuedText = await cli(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(queuedText.stdout).toMatch(new RegExp(`^nothing to do: slot ${slot} is candidate ${B}'s and approved already: .*interview_confirmed \\(outbox \\d+, pending\\)`));
    expect(await count(t.db, 'SELECT count(*) FROM bookops_archive_operations')).toBe(queuedOps);

    // Asked again once the approval went out: the preview says it is not sent twice, and it is not.
    await t.db('outbox_notifications').where({ booking_id: slot }).update({ status: 'sent' });
    const again = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(again.plan.summary).toMatch(/^re-notify the candidate of slot \d+ .*: their approval \(interview_confirmed\) was sent already and is not sent again/);
    expect(again.result.approved.outbox).toMatchObject({ created: false, row: { status: 'sent' } });
    // Everything was in place: nothing changed, so no archive operation (no empty undo) is kept.
    expect(again).toMatchObject({ nothingToDo: true });
    expect(again.archiveOperation).toBeUndefined();
    const operations = await count(t.db, 'SELECT count(*) FROM bookops_archive_operations');
    const text = await cli(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(B));
    expect(text.stdout).toMatch(new RegExp(`^nothing to do: slot ${slot} is candidate ${B}'s and approved already: .*interview_confirmed \\(outbox \\d+, sent\\)`));
    expect(text.stdout).not.toContain('archive restore');
    expect(await count(t.db, 'SELECT count(*) FROM bookops_archive_operations')).toBe(operations);
  });

  it('reassign to the candidate a free slot still names: nobody is released, the preview agrees', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'free', candidateTgId: A });
    await t.db('outbox_notifications').insert({ booking_id: slot, type: 'interview_confirmed', candidate_tg_id: A, status: 'sent' });
    const before = await tables(t.db, RECRUITING_TABLES);
    const dry = await cliJson(t, '--dry-run', 'slots', 'reassign', String(slot), '--candidate', String(A));
    expect(dry.plan.superseded).toEqual({ previous: null, candidate: { messages: 1, unsent: 0, inFlight: 0 } });
    expect(dry.plan.summary).not.toContain('is told');
    const done = await cliJson(t, '--yes', 'slots', 'reassign', String(slot), '--candidate', String(A));
    expect(done.result.released).toBeNull();
    expect(done.result.approved.supersededMessages).toHaveLength(1);
    expect(done.result.approved.outbox).toMatchObject({ created: true });
    // Undo: the slot comes back free (it was archived before the reservation, not only before the approval).
    const restore = await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation));
    expect(restore.code, restore.stderr).toBe(0);
    expect(await tables(t.db, RECRUITING_TABLES)).toEqual(before);
  });
});

describe('rows as the database holds them, shown on a terminal', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('support_slots_control_characters');
    await legacySchema(t);
  });
  afterAll(async () => t?.drop());

  it('a name with terminal control sequences is shown escaped in the summary, the preview table and the error line', async () => {
    const r = await addRecruiter(t.db);
    // A name the candidate typed into the bot: it would set the window title and clear the screen.
    const name = 'Ivan\x1b]0;pwned\x07\x1b[2J\x1b[H';
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: A });
    await t.db('slots').where({ id: slot }).update({ candidate_fio: name });
    const shown = await cli(t, '--dry-run', 'slots', 'release', String(slot));
    expect(shown.code).toBe(0);
    expect(shown.stdout + shown.stderr).not.toContain('\x1b');
    expect(shown.stdout + shown.stderr).not.toContain('\x07');
    expect(shown.stdout).toContain('Ivan\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H');
    const refused = await cli(t, 'slots', 'release', String(slot));
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/^bookops: refusing to release .*Ivan\\x1b\]0;pwned\\x07\\x1b\[2J\\x1b\[H/);
    expect(refused.stderr).not.toContain('\x1b');
    // --json needs none of it: JSON escapes control characters, and the name comes back as it is.
    expect((await cliJson(t, '--dry-run', 'slots', 'release', String(slot))).plan.changes[0].rows[0].candidate_fio).toBe(name);
  });
});
