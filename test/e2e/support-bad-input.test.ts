/**
 * Bad input to the support commands, typed as a new user would: unknown ids, ids of the wrong
 * type, numbers that do not exist, injection strings. Each gives one line on stderr and the
 * documented exit code (2 usage, 5 not found), and nothing in the database changes (not even
 * the archive tables appear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { legacySchema } from '../fixtures/schema.js';
import { addInterview, addLog, addOutbox, addTimeSlot, cli, count, expectOneLineError, plantNumber, tables } from '../fixtures/support.js';

const INJECTION = "1; DROP TABLE slots; --";

const CASES: Array<[args: string[], code: number, message?: RegExp]> = [
  [['interviews', 'rebook', '--slot', 'abc', '--user', '1'], 2, /^bookops: option '--slot <id>': 'abc' is not a positive whole number \(see/],
  [['interviews', 'rebook', '--slot', '-1', '--user', '1'], 2, /option '--slot <id>': '-1' is not a positive whole number/],
  [['interviews', 'rebook', '--slot', INJECTION, '--user', '1'], 2, /option '--slot <id>': '1; DROP TABLE slots; --' is not a positive whole number/],
  [['interviews', 'rebook', '--slot', '3000000000', '--user', '1'], 2, /option '--slot <id>': '3000000000' is too large: ids go up to 2147483647/],
  [['interviews', 'rebook', '--slot', '2147483648', '--user', '1'], 2, /option '--slot <id>': '2147483648' is too large: ids go up to 2147483647/],
  [['interviews', 'rebook', '--slot', '1', '--user', '0'], 2, /option '--user <tg id>': '0' is not a positive whole number/],
  [['interviews', 'rebook', '--slot', '1', '--user', '99999999999999999'], 2, /option '--user <tg id>': '99999999999999999' is too large: Telegram ids go up to 9007199254740991/],
  [['interviews', 'rebook', '--slot', '1'], 2, /required option '--user <tg id>' not specified/],
  [['interviews', 'rebook', '--slot', '424242', '--user', '5'], 5, /time slot 424242 does not exist/],
  [['interviews', 'clean-cancelled', '--slot', '424242'], 5, /time slot 424242 does not exist/],
  [['interviews', 'clean-cancelled', '--older-than', 'soon'], 2, /expected a duration/],
  [['interviews', 'clean-cancelled', '--batch-size', '0'], 2, /must be between 1 and 100000/],
  [['slots', 'release', 'abc'], 2, /^bookops: argument <id>: 'abc' is not a positive whole number \(see node bin\/bookops\.js slots release --help\)$/],
  [['slots', 'release', '-1'], 2, /argument <id>: '-1' is not a positive whole number/],
  [['slots', 'release', '2147483648'], 2, /argument <id>: '2147483648' is too large: ids go up to 2147483647/],
  [['slots', 'release', '424242'], 5, /slot 424242 does not exist/],
  // Spaces around an id are refused, not trimmed: ' 1 ' used to release slot 1.
  [['slots', 'release', ' 1 '], 2, /^bookops: argument <id>: ' 1 ' has spaces around it \(see node bin\/bookops\.js slots release --help\)$/],
  [['slots', 'reassign', '1', '--candidate', '5 '], 2, /option '--candidate <tg id>': '5 ' has spaces around it/],
  [['outbox', 'requeue', '1\t'], 2, /argument <id>: '1\t' has spaces around it/],
  [['whatsapp', 'delete', ' id:1'], 2, /argument <number>: ' id:1' has spaces around it/],
  [['slots', 'release', '1', '--reason', 'because'], 2, /expected one of: reschedule, reject/],
  [['slots', 'reassign', '1', '--candidate', "' OR 1=1 --"], 2, /option '--candidate <tg id>': '' OR 1=1 --' is not a positive whole number/],
  [['slots', 'reassign', '1'], 2, /required option '--candidate <tg id>' not specified/],
  [['slots', 'reassign', '424242', '--candidate', '5'], 5, /slot 424242 does not exist/],
  [['slots', 'resolve-duplicates', '--keep', 'first'], 2, /option '--keep <slot...>': 'first' is not a positive whole number/],
  [['slots', 'frobnicate'], 2, /unknown command 'frobnicate'/],
  [['notifications', 'clean-stale', '--slot', '0'], 2, /option '--slot <id>': '0' is not a positive whole number/],
  [['notifications', 'clean-stale', '--slot', '424242'], 5, /slot 424242 does not exist/],
  [['outbox', 'requeue'], 2, /missing required argument 'id'/],
  [['outbox', 'requeue', '1', 'abc'], 2, /argument <id>: 'abc' is not a positive whole number/],
  [['outbox', 'requeue', INJECTION], 2, /argument <id>: '1; DROP TABLE slots; --' is not a positive whole number/],
  [['outbox', 'requeue', '424242'], 5, /outbox row\(s\) 424242 do not exist/],
  [['outbox', 'retry-failed', '--type', ''], 2, /option '--type <type>': '' must not be empty/],
  [['outbox', 'retry-failed', '--type', '  '], 2, /option '--type <type>': '  ' must not be empty/],
  [['outbox', 'retry-failed', '--batch-size', 'lots'], 2, /option '--batch-size <n>': 'lots' is not a whole number/],
  [['whatsapp', 'delete', 'abc'], 2, /argument <number>: 'abc' is not a phone number \(\+7 900 123-45-67\) or a number id \(42, id:42\)/],
  [['whatsapp', 'delete', INJECTION], 2, /is not a phone number/],
  [['whatsapp', 'delete', ''], 2, /argument <number>: '' is not a phone number/],
  [['whatsapp', 'delete', '0'], 2, /argument <number>: '0' is not a phone number/],
  [['whatsapp', 'delete', 'id:0'], 2, /argument <number>: 'id:0' is not a phone number/],
  [['whatsapp', 'deactivate', '+1 (555) 010-9999'], 5, /WhatsApp number \+1 \(555\) 010-9999 does not exist/],
  [['whatsapp', 'preview-delete', 'id:424242'], 5, /WhatsApp number id:424242 does not exist/],
];

describe('bad input to the support commands', () => {
  let t: TestDatabase;
  let before: Record<string, string[]>;
  beforeAll(async () => {
    t = await createTestDatabase('support_bad_input');
    await legacySchema(t);
    await addInterview(t.db, await addTimeSlot(t.db), 1, 'cancelled');
    const slot = await addSlot(t.db, (await addRecruiter(t.db)).id, { status: 'free' });
    await addLog(t.db, slot, 9);
    await addOutbox(t.db, { status: 'failed', bookingId: slot, candidate: 9 });
    await plantNumber(t.db, '+7 902 000-00-01');
    before = await tables(t.db);
  });
  afterAll(async () => t?.drop());

  it.each(CASES)('bookops %j -> exit %i, one line, nothing changed', async (args, code, message) => {
    expectOneLineError(await cli(t, '--yes', ...args), code, message);
  });

  it('the database is exactly as before, and nothing was archived', async () => {
    expect(await tables(t.db)).toEqual(before);
    expect(await count(t.db, `SELECT count(*) FROM pg_class WHERE relname = 'bookops_archive_operations'`)).toBe(0);
    expect(await count(t.db, 'SELECT count(*) FROM slots')).toBe(1);
  });
});
