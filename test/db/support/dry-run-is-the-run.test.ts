/**
 * What --dry-run shows is what runs. For every destructive command: the statements its dry run
 * prints are sent by the real run byte for byte (text and values, in order; only the archive
 * operation's id, unknown before the run, is filled in), captured from the pg driver itself; and
 * the rows its plan says it will archive (plan.archives, the counts its preview shows) are the rows
 * the archive holds afterwards, per table and change. Commands run in-process, as the binary runs them.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Context } from '../../../src/io/context.js';
import cleanCancelled from '../../../src/commands/interviews/clean-cancelled.js';
import rebook from '../../../src/commands/interviews/rebook.js';
import cleanStale from '../../../src/commands/notifications/clean-stale.js';
import dedupe from '../../../src/commands/outbox/dedupe.js';
import requeue from '../../../src/commands/outbox/requeue.js';
import retryFailed from '../../../src/commands/outbox/retry-failed.js';
import reassign from '../../../src/commands/slots/reassign.js';
import release from '../../../src/commands/slots/release.js';
import resolveDuplicates from '../../../src/commands/slots/resolve-duplicates.js';
import deactivate from '../../../src/commands/whatsapp/deactivate.js';
import whatsappDelete from '../../../src/commands/whatsapp/delete.js';
import restore from '../../../src/commands/archive/restore.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { inProcess } from '../../fixtures/in-process.js';
import { addRecruiter, addSlot } from '../../fixtures/recruiting.js';
import { legacySchema } from '../../fixtures/schema.js';
import { addInterview, addJob, addLog, addOutbox, addTimeSlot, archived, plantNumber } from '../../fixtures/support.js';

interface Sent {
  text: string;
  values: unknown[];
}

/** Every statement the pg driver is handed while `fn` runs. */
async function capture<T>(fn: () => Promise<T>): Promise<{ result: T; sent: Sent[] }> {
  const sent: Sent[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, config: unknown, values?: unknown, ...rest: unknown[]) {
    const c = config as { text?: string; values?: unknown[] };
    if (typeof config === 'string') sent.push({ text: config, values: Array.isArray(values) ? values : [] });
    else if (c && typeof c.text === 'string') sent.push({ text: c.text, values: c.values ?? (Array.isArray(values) ? values : []) });
    return (original as (...a: unknown[]) => unknown).call(this, config, values, ...rest);
  } as typeof original;
  try {
    return { result: await fn(), sent };
  } finally {
    pg.Client.prototype.query = original;
  }
}

interface Shown {
  sql: string;
  params: unknown[];
}

/** The dry run's statements appear among the sent ones, in order, each byte for byte. */
function expectSentInOrder(shown: Shown[], sent: Sent[], operationId: number | undefined) {
  expect(shown.length).toBeGreaterThan(0);
  let from = 0;
  for (const s of shown) {
    const at = sent.findIndex((q, i) => i >= from && q.text === s.sql && sameValues(s, q, operationId));
    expect(at, `not sent as shown:\n${s.sql}\n${JSON.stringify(s.params)}`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

/** The statement that looks at a transaction's updated and inserted rows again as it ends. */
const AFTER_IMAGES = /^UPDATE bookops_archive_rows AS a\s+SET after_data/;

/**
 * Equal as the driver serialises them; a null shown for the archive operation's id stands for it,
 * for the archive rows of the after-images (known only as their transaction ends) and for the ids
 * of rows a rule inserted, which it records (known only once inserted).
 */
function sameValues(shown: Shown, sent: Sent, operationId: number | undefined): boolean {
  if (shown.params.length !== sent.values.length) return false;
  const afterImages = AFTER_IMAGES.test(shown.sql) || shown.sql.startsWith('WITH inserted AS');
  return shown.params.every(
    (v, i) => JSON.stringify(v) === JSON.stringify(sent.values[i]) || (v === null && (sent.values[i] === operationId || (afterImages && Array.isArray(sent.values[i])))),
  );
}

/** The archive's rows per 'table:change', inserted rows left out (the plan previews what it archives before changing). */
async function archivedChanges(t: TestDatabase, op: number): Promise<Record<string, number>> {
  return Object.fromEntries(Object.entries(await archived(t.db, op)).filter(([k]) => !k.endsWith(':inserted')));
}

/**
 * Per table an operation updated: whether every row it archived as updated has an after-image,
 * and the last of a row's (restore.sql compares that one) equals the row as it is now.
 */
async function afterImagesMatch(t: TestDatabase, op: number): Promise<Record<string, boolean>> {
  const tables = await t.db('bookops_archive_rows').distinct('table_name').where({ operation_id: op, change: 'updated' }).pluck('table_name');
  const out: Record<string, boolean> = {};
  for (const table of tables as string[]) {
    const { rows } = await t.db.raw(
      `SELECT bool_and(a.after_data IS NOT NULL) AND bool_and(a.id <> last.id OR a.after_data = to_jsonb(x)) AS ok
       FROM bookops_archive_rows AS a
       JOIN ?? AS x ON x.id = (a.row_data->>'id')::bigint
       JOIN LATERAL (SELECT max(b.id) AS id FROM bookops_archive_rows AS b
                     WHERE b.operation_id = a.operation_id AND b.table_name = a.table_name AND b.row_data->>'id' = a.row_data->>'id') AS last ON true
       WHERE a.operation_id = ? AND a.table_name = ? AND a.change = 'updated'`,
      [table, op, table],
    );
    out[table] = rows[0].ok;
  }
  return out;
}

describe('--dry-run shows what runs', () => {
  let t: TestDatabase;
  const { ctx, closeAll } = inProcess(() => t.url, { quiet: true });
  beforeAll(async () => {
    t = await createTestDatabase('dry_run_is_the_run');
    await legacySchema(t);
  });
  afterEach(closeAll);
  afterAll(async () => t?.drop());

  type Command = { run(ctx: Context, input: never): Promise<any> };

  /** Dry run, then the run with --yes: the same statements, the previewed rows archived. */
  async function check(command: Command, input: Record<string, unknown>) {
    const dry = await command.run(ctx({ dryRun: true }), input as never);
    expect(dry.dryRun).toBe(true);
    const { result, sent } = await capture(() => command.run(ctx({ yes: true }), input as never));
    expect(result.archiveOperation, 'the run archived something').toBeDefined();
    expectSentInOrder(dry.plan.statements, sent, result.archiveOperation);
    // And the other way: every statement the run sent that writes the archive was shown.
    const shownTexts = new Set(dry.plan.statements.map((st: Shown) => st.sql));
    const archiving = sent.filter((q) => /INSERT INTO bookops_archive_rows|UPDATE bookops_archive_rows/.test(q.text)).map((q) => q.text);
    expect(archiving.filter((text) => !shownTexts.has(text)), 'sent, not shown').toEqual([]);
    expect(await archivedChanges(t, result.archiveOperation)).toEqual(dry.plan.archives);
    return { dry, result };
  }

  it('interviews clean-cancelled and rebook', async () => {
    const slot = await addTimeSlot(t.db);
    await addInterview(t.db, slot, 5001, 'cancelled');
    const other = await addTimeSlot(t.db);
    await addInterview(t.db, other, 5002, 'CANCELLED');
    await check(cleanCancelled, { slot });
    await check(rebook, { slot: other, user: 5003, status: 'confirmed' });
  });

  it('slots release, reassign (held and free) and resolve-duplicates', async () => {
    const r = await addRecruiter(t.db);
    const held = await addSlot(t.db, r.id, { status: 'BOOKED', candidateTgId: 9_100_000_001 });
    await addLog(t.db, held, 9_100_000_001);
    await addJob(t.db, held, 'confirm_2h');
    await t.db('outbox_notifications').insert({ booking_id: held, type: 'interview_confirmed', candidate_tg_id: 9_100_000_001, status: 'pending' });
    const released = await check(release, { slot: held, reason: 'reschedule' });
    // The images the run looks at again as its transaction ends (where a row changed since its
    // statement), one statement per table: the slot it updates, the message it inserts; shown too
    // (and sent, in order); every after-image is the row as it is now.
    expect(released.dry.plan.statements.filter((st: Shown) => AFTER_IMAGES.test(st.sql))).toHaveLength(2);
    expect(await afterImagesMatch(t, released.result.archiveOperation)).toEqual({ slots: true });

    const booked = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: 9_100_000_002 });
    await addLog(t.db, booked, 9_100_000_002);
    // Released, reserved (the rule's own statement) and approved: the approval archives the slot
    // last, as the reservation left it, and as it leaves it, in its own statement.
    const reassigned = await check(reassign, { slot: booked, candidate: 9_100_000_003 });
    expect(await afterImagesMatch(t, reassigned.result.archiveOperation)).toEqual({ slots: true });
    const free = await addSlot(t.db, r.id);
    await t.db('outbox_notifications').insert({ booking_id: free, type: 'candidate_rejection', candidate_tg_id: 9_100_000_004, status: 'sent' });
    // A free slot is archived before the reservation (no release did), then approved.
    const reserved = await check(reassign, { slot: free, candidate: 9_100_000_004 });
    expect(await afterImagesMatch(t, reserved.result.archiveOperation)).toEqual({ slots: true });
    // A slot that has begun gets no reminders: no insert of them is shown, and none is sent.
    const begun = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: 9_100_000_006 });
    await t.db.raw(`UPDATE slots SET start_utc = now() - interval '1 hour' WHERE id = ?`, [begun]);
    const { dry } = await check(reassign, { slot: begun, candidate: 9_100_000_007 });
    expect(dry.plan.statements.filter((s: Shown) => s.sql.includes('INSERT INTO slot_reminder_jobs'))).toEqual([]);

    const r2 = await addRecruiter(t.db);
    await addSlot(t.db, r2.id, { status: 'pending', candidateTgId: 9_100_000_005 });
    await addSlot(t.db, r2.id, { status: 'confirmed_by_candidate', candidateTgId: 9_100_000_005 });
    // The plan's statements are the first release's; every release runs the same ones.
    await check(resolveDuplicates, { byRule: true });
  });

  it('a run of several batches reads the catalog once per operation: the updated tables\' columns, the keys cascading into each table', async () => {
    const r = await addRecruiter(t.db);
    for (const candidate of [9_200_000_001, 9_200_000_002, 9_200_000_003]) {
      await addSlot(t.db, r.id, { status: 'booked', candidateTgId: candidate });
      await addSlot(t.db, r.id, { status: 'confirmed_by_candidate', candidateTgId: candidate });
    }
    const { result, sent } = await capture(() => resolveDuplicates.run(ctx({ yes: true }), { byRule: true, batchSize: 1 } as never));
    expect(result.result!.batches).toBe(3);
    const reads = (marker: string | RegExp) => sent.filter((q) => (typeof marker === 'string' ? q.text.includes(marker) : marker.test(q.text)));
    // The images each batch looks at again as it ends, of the slots it updates and the messages it
    // inserts: the two tables' columns read for the plan (which shows the statements) and in the
    // first batch, not again in the others.
    expect(reads('FROM pg_attribute a').length).toBe(4);
    expect(reads(AFTER_IMAGES).length).toBe(6);
    expect(await afterImagesMatch(t, result.archiveOperation!)).toEqual({ slots: true });
    // The keys cascading into each table a batch deletes from: one read per table.
    const keyReads = reads('con.confdeltype').map((q) => JSON.stringify(q.values));
    expect(keyReads.length).toBeGreaterThan(0);
    expect(new Set(keyReads).size).toBe(keyReads.length);
  });

  it('notifications clean-stale', async () => {
    const r = await addRecruiter(t.db);
    const slot = await addSlot(t.db, r.id, { status: 'booked', candidateTgId: 9_200_000_001 });
    await addLog(t.db, slot, 9_200_000_002);
    await addLog(t.db, slot, null, 'candidate_confirmed');
    await check(cleanStale, {});
  });

  it('outbox dedupe, requeue and retry-failed', async () => {
    await addOutbox(t.db, { type: 'x_dup', bookingId: null, candidate: null, status: 'sent' });
    await addOutbox(t.db, { type: 'x_dup', bookingId: null, candidate: null, status: 'pending' });
    await check(dedupe, {});
    const failed = await addOutbox(t.db, { type: 'x_failed', status: 'failed' });
    await check(requeue, { ids: [failed] });
    await addOutbox(t.db, { type: 'x_retry', status: 'failed' });
    await check(retryFailed, { type: 'x_retry' });
  });

  it('whatsapp deactivate and delete', async () => {
    await plantNumber(t.db, '+7 900 555-00-01');
    await check(deactivate, { number: '+7 900 555-00-01' });
    await plantNumber(t.db, '+7 900 555-00-02');
    await check(whatsappDelete, { number: '+7 900 555-00-02' });
  });

  it('archive restore: the dry run rehearses exactly the statements the restore sends', async () => {
    const number = await plantNumber(t.db, '+7 900 555-00-03');
    const { result } = await check(whatsappDelete, { number: String(number) });
    const dry = await restore.run(ctx({ dryRun: true }), { operation: result.archiveOperation } as never);
    const { result: done, sent } = await capture(() => restore.run(ctx({ yes: true }), { operation: result.archiveOperation } as never));
    expect(done.restored).toEqual(dry.restored);
    expectSentInOrder(dry.statements, sent, undefined);
  });
});
