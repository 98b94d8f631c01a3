/**
 * The interactive paths of the support commands, through the real prompts of src/cli/prompts.ts
 * driven over PassThrough streams (usePromptIO): y/N confirmations naming the object and counts,
 * the typed confirmation of a severe delete, the resolve-duplicates selection, and the refusal
 * without a terminal. Commands run in-process (run(ctx, opts)), as the binary would run them.
 */
import { PassThrough } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Context, DEFAULT_FLAGS } from '../../../src/io/context.js';
import { Output } from '../../../src/io/output.js';
import { usePromptIO } from '../../../src/io/prompts.js';
import cleanCancelled from '../../../src/commands/interviews/clean-cancelled.js';
import cleanStale from '../../../src/commands/notifications/clean-stale.js';
import reassign from '../../../src/commands/slots/reassign.js';
import release from '../../../src/commands/slots/release.js';
import resolveDuplicates from '../../../src/commands/slots/resolve-duplicates.js';
import whatsappDelete from '../../../src/commands/whatsapp/delete.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { inProcess } from '../../fixtures/in-process.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';
import { legacySchema } from '../../fixtures/schema.js';
import { addInterview, addLog, addTimeSlot, ALL_TABLES, count, plantNumber, tables } from '../../fixtures/support.js';

/** A command's run, in-process as the binary calls it, with the options a test names (the others take the rule's defaults). */
function runCommand<R>(command: { run(ctx: Context, input: never): Promise<R> }, context: Context, input: Record<string, unknown>): Promise<R> {
  return command.run(context, input as never);
}

/**
 * Answers prompts in order: waits until the prompt text appears, then types the keys (a function
 * runs first, while the prompt is open: what someone else does meanwhile, then the keys).
 */
function scriptedTerminal(steps: Array<[RegExp, string | (() => Promise<string>)]>) {
  const input = new PassThrough();
  const output = new PassThrough();
  // A prompt ends the stream it was given when it closes (a real terminal's stderr never is):
  // keep it open so the next prompt of the same command renders.
  output.end = (() => output) as typeof output.end;
  let shown = '';
  output.on('data', (d) => (shown += d.toString()));
  usePromptIO({ input, output });
  let from = 0;
  const done = (async () => {
    for (const [expected, keys] of steps) {
      const giveUp = Date.now() + 20_000;
      while (!expected.test(plain(shown.slice(from)))) {
        if (Date.now() > giveUp) throw new Error(`the prompt ${expected} never appeared; the terminal shows: ${plain(shown.slice(from))}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      from = shown.length;
      input.write(typeof keys === 'string' ? keys : await keys());
    }
  })();
  return { shown: () => plain(shown), done };
}

/** What a person reads: no ANSI sequences, and prompts unwrapped (the wrap breaks mid-word). */
function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\n/g, '');
}

const DOWN = '\u001b[B';

describe('support commands on a terminal', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url);
  beforeAll(async () => {
    t = await createTestDatabase('support_prompts');
    await legacySchema(t);
  });
  afterEach(async () => {
    usePromptIO(undefined);
    await closeAll();
  });
  afterAll(async () => t?.drop());
  /** Archive operations recorded so far (none before the archive tables exist). */
  const archiveOperations = async () =>
    (await count(t.db, `SELECT count(*) FROM pg_class WHERE relname = 'bookops_archive_operations'`)) === 0
      ? 0
      : count(t.db, 'SELECT count(*) FROM bookops_archive_operations');

  it('a y/N confirmation names the object and the counts; no (the default) changes nothing, yes goes ahead', async () => {
    await addInterview(t.db, await addTimeSlot(t.db), 901, 'cancelled');
    await addInterview(t.db, await addTimeSlot(t.db), 902, 'cancelled');
    const before = await tables(t.db, ALL_TABLES);

    const declined = scriptedTerminal([[/Continue\?/, '\n']]);
    await expect(runCommand(cleanCancelled, ctx(), {})).rejects.toThrow(/not confirmed; nothing was changed/);
    await declined.done;
    expect(declined.shown()).toContain('This will archive and delete 2 cancelled interview(s) that block rebooking under the legacy key interviews_time_slot_id_key. Continue?');
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);

    const accepted = scriptedTerminal([[/Continue\?/, 'y\n']]);
    const r = await runCommand(cleanCancelled, ctx(), {});
    await accepted.done;
    expect(r).toMatchObject({ dryRun: false, result: { rows: 2, batches: 1 } });
    expect(r.archiveOperation).toBeGreaterThan(0);
  });

  it('without a terminal and without --yes the command refuses and nothing changes', async () => {
    await addInterview(t.db, await addTimeSlot(t.db), 903, 'cancelled');
    const before = await tables(t.db, ALL_TABLES);
    usePromptIO(undefined);
    await expect(runCommand(cleanCancelled, ctx(), {})).rejects.toMatchObject({ exitCode: 4, message: expect.stringMatching(/without confirmation: not on a terminal/) });
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);
    // On a terminal, --json is what keeps the prompt away: the refusal says so.
    const term = scriptedTerminal([]);
    await expect(runCommand(cleanCancelled, ctx({ json: true }), {})).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/without confirmation: --json never prompts$/),
      hint: 'pass --yes to confirm, or --dry-run to preview',
    });
    expect(term.shown()).toBe('');
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);
    await t.db('interviews').delete();
  });

  it('a severe delete wants the phone number typed: a wrong answer changes nothing, the right one deletes', async () => {
    await plantNumber(t.db, '+7 900 111-22-33');
    const before = await tables(t.db, ALL_TABLES);

    const wrong = scriptedTerminal([[/Type \+7 900 111-22-33 to confirm/, '+7 900 111-22-34\n']]);
    await expect(runCommand(whatsappDelete, ctx(), { number: '+79001112233' })).rejects.toThrow(/not confirmed \(typed '\+7 900 111-22-34'\); nothing was changed/);
    await wrong.done;
    expect(wrong.shown()).toContain('This will delete WhatsApp number +7 900 111-22-33 (Support), id 1 with everything under it (22 row(s)');
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);

    // Typed in another formatting, it is still the same number.
    const right = scriptedTerminal([[/Type \+7 900 111-22-33 to confirm/, '+7 (900) 1112233\n']]);
    const r = await runCommand(whatsappDelete, ctx(), { number: '+79001112233' });
    await right.done;
    expect(r.result).toMatchObject({ total: 22 });
  });

  it('release refuses (exit 6, nothing changed) when the slot it showed free was booked while the prompt was open', async () => {
    const rec = await addRecruiter(t.db);
    const A = 7_400_000_011;
    const slot = await addSlot(t.db, rec.id, { status: 'free' });
    // A log left on the free slot: the release has something to do, so it asks.
    await addLog(t.db, slot, 7_400_000_010);
    let changed: Record<string, string[]> = {};
    const term = scriptedTerminal([
      [
        /Continue\?/,
        async () => {
          await t.db('slots').where({ id: slot }).update({ status: 'booked', candidate_tg_id: A });
          changed = await tables(t.db, ALL_TABLES);
          return 'y\n';
        },
      ],
    ]);
    const ops = await archiveOperations();
    await expect(runCommand(release, ctx(), { slot })).rejects.toMatchObject({
      exitCode: 6,
      message: `slot ${slot} changed since it was shown: it was free, it is booked by candidate ${A} now; nothing was changed`,
    });
    await term.done;
    expect(term.shown()).toMatch(new RegExp(`This will release slot ${slot} \\(.*, free\\): archive 1 notification log`));
    expect(await tables(t.db, ALL_TABLES)).toEqual(changed);
    expect(await archiveOperations()).toBe(ops);
  });

  it('clean-stale deletes only what is still stale when its batch runs, and says what it left', async () => {
    const rec = await addRecruiter(t.db);
    const A = 7_400_000_021;
    const B = 7_400_000_022;
    const slot = await addSlot(t.db, rec.id, { status: 'free' });
    // Both logs are stale (their slot is free); once A books the slot, A's log is A's again.
    const mine = await addLog(t.db, slot, A, 'slot_approved');
    await addLog(t.db, slot, B, 'slot_reminder');
    const term = scriptedTerminal([
      [
        /Continue\?/,
        async () => {
          await t.db('slots').where({ id: slot }).update({ status: 'booked', candidate_tg_id: A });
          return 'y\n';
        },
      ],
    ]);
    const r = await runCommand(cleanStale, ctx(), { slot });
    await term.done;
    expect(r.plan.count).toBe(2);
    expect(r.result!.rows).toBe(1);
    expect(await t.db('notification_logs').where({ booking_id: slot }).pluck('id')).toEqual([mine]);
    const stdout = new PassThrough();
    let printed = '';
    stdout.on('data', (d) => (printed += d.toString()));
    cleanStale.render!(r, new Output({ ...DEFAULT_FLAGS, color: false, stdout: stdout as unknown as NodeJS.WriteStream }), { slot } as never);
    expect(printed).toContain('deleted 1 stale notification log(s) in 1 batch(es), archived');
    expect(printed).toContain('; 1 of the 2 planned no longer matched when its batch ran (changed since the preview) and were left as they are');
  });

  it('reassign refuses (exit 6, nothing changed) when the slot changed hands while the prompt was open', async () => {
    const rec = await addRecruiter(t.db);
    const [A, B, C] = [7_400_000_021, 7_400_000_022, 7_400_000_023];
    const slot = await addSlot(t.db, rec.id, { status: 'booked', candidateTgId: A });
    let changed: Record<string, string[]> = {};
    const term = scriptedTerminal([
      [
        /Continue\?/,
        async () => {
          await t.db('slots').where({ id: slot }).update({ candidate_tg_id: C });
          changed = await tables(t.db, ALL_TABLES);
          return 'y\n';
        },
      ],
    ]);
    const ops = await archiveOperations();
    await expect(runCommand(reassign, ctx(), { slot, candidate: B })).rejects.toMatchObject({
      exitCode: 6,
      message: `slot ${slot} changed since it was shown: it was booked by candidate ${A}, it is booked by candidate ${C} now; nothing was changed`,
    });
    await term.done;
    expect(term.shown()).toContain(`candidate ${A} is told (candidate_reschedule)`);
    expect(await tables(t.db, ALL_TABLES)).toEqual(changed);
    expect(await archiveOperations()).toBe(ops);
  });

  it('a delete deletes no more than it showed: rows added while the prompt was open make it refuse (exit 6), nothing deleted', async () => {
    const id = await plantNumber(t.db, '+7 900 111-22-44');
    let changed: Record<string, string[]> = {};
    const term = scriptedTerminal([
      [
        /Type \+7 900 111-22-44 to confirm/,
        async () => {
          await t.db.raw(`INSERT INTO conversations (whatsapp_number_id, contact_phone) SELECT :id, '+1777' || g FROM generate_series(1, 300) g`, { id });
          changed = await tables(t.db, ALL_TABLES);
          return '+7 900 111-22-44\n';
        },
      ],
    ]);
    await expect(runCommand(whatsappDelete, ctx(), { number: String(id) })).rejects.toMatchObject({
      exitCode: 6,
      message: 'WhatsApp number +7 900 111-22-44 changed since the preview (conversations: 3 shown, 303 now); nothing was deleted; run it again',
    });
    await term.done;
    expect(term.shown()).toContain('3 conversation(s) (6 message(s))');
    expect(await tables(t.db, ALL_TABLES)).toEqual(changed);
  });

  it('resolve-duplicates asks which slot to keep (the rule’s choice first), then confirms', async () => {
    await t.db.raw('TRUNCATE slots, recruiters, outbox_notifications, notification_logs, slot_reminder_jobs CASCADE');
    const rec = await addRecruiter(t.db);
    const C = 7_400_000_001;
    const booked = await addSlot(t.db, rec.id, { status: 'booked', candidateTgId: C });
    const confirmed = await addSlot(t.db, rec.id, { status: 'confirmed_by_candidate', candidateTgId: C });
    const before = await tables(t.db, ALL_TABLES);

    // Declining the final confirmation after choosing changes nothing.
    const declined = scriptedTerminal([
      [/which one to keep\?/, '\r'],
      [/Continue\?/, 'n\n'],
    ]);
    await expect(runCommand(resolveDuplicates, ctx(), {})).rejects.toThrow(/not confirmed/);
    await declined.done;
    expect(declined.shown()).toMatch(new RegExp(`candidate ${C} holds 2 active slots of recruiter ${rec.id}: which one to keep\\?`));
    expect(declined.shown()).toMatch(new RegExp(`slot ${confirmed}: confirmed_by_candidate, .* \\(the rule keeps this one\\)`));
    expect(await tables(t.db, ALL_TABLES)).toEqual(before);

    // Choosing the second entry keeps the booked slot instead of the rule's confirmed one.
    const chosen = scriptedTerminal([
      [/which one to keep\?/, `${DOWN}\r`],
      [/Continue\?/, 'y\n'],
    ]);
    const r = await runCommand(resolveDuplicates, ctx(), {});
    await chosen.done;
    expect(r.plan.groups).toMatchObject([{ candidateTgId: C, keep: booked, keptBy: 'prompt', release: [confirmed] }]);
    expect(r.result!.released.map((x) => x.slotId)).toEqual([confirmed]);
    expect(await t.db('slots').whereIn('id', [booked, confirmed]).orderBy('id').select('id', 'status')).toEqual([
      { id: booked, status: 'booked' },
      { id: confirmed, status: 'free' },
    ]);
  });

  it('--by-rule, --keep and --yes answer the selection without asking', async () => {
    await t.db.raw('TRUNCATE slots, recruiters, outbox_notifications, notification_logs, slot_reminder_jobs CASCADE');
    const rec = await addRecruiter(t.db);
    const D = 7_400_000_002;
    const a = await addSlot(t.db, rec.id, { status: 'confirmed_by_candidate', candidateTgId: D });
    const b = await addSlot(t.db, rec.id, { status: 'confirmed_by_candidate', candidateTgId: D });
    const term = scriptedTerminal([]);
    const byRule = await runCommand(resolveDuplicates, ctx({ dryRun: true }), { byRule: true });
    expect(byRule.plan.groups).toMatchObject([{ keep: a, keptBy: 'rule' }]);
    const kept = await runCommand(resolveDuplicates, ctx({ dryRun: true }), { keep: [b] });
    expect(kept.plan.groups).toMatchObject([{ keep: b, keptBy: '--keep' }]);
    const yes = await runCommand(resolveDuplicates, ctx({ yes: true }), {});
    expect(yes.result!.released.map((x) => x.slotId)).toEqual([b]);
    expect(term.shown()).toBe('');
  });
});
