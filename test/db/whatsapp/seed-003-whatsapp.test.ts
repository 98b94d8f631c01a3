/**
 * Seed 003: a WhatsApp number in use cannot be deleted (foreign keys without ON DELETE CASCADE).
 * Red on the legacy schema (a plain DELETE fails), cascading after migration 0005; the rule
 * deletes the number with everything under it on both, archived, with a preview and an undo,
 * and deactivation is the reversible alternative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreOperation } from '../../../src/archive/restore.js';
import { NotFoundError, UsageError } from '../../../src/errors.js';
import { deactivateNumber, deleteNumber, NUMBER_TREE, previewNumberDeletion } from '../../../src/domain/whatsapp/index.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { archivedCounts, NUMBER_ROWS, one, plantNumber, SCHEMAS, snapshot, withOp } from '../../fixtures/domain.js';

const EXPECTED = NUMBER_ROWS;

describe.each(SCHEMAS)('seed 003 on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  const legacy = schema === 'legacy';
  beforeAll(async () => {
    t = await createTestDatabase(`seed003_${schema}`);
    await apply(t);
  });
  afterAll(async () => t?.drop());
  const snapshots = () => Promise.all(NUMBER_TREE.map((table) => snapshot(t.db, table)));

  it(legacy ? 'red: a plain DELETE of a number in use fails on its foreign keys' : 'fixed: a plain DELETE cascades', async () => {
    const id = await plantNumber(t.db, '+7 900 000-00-01');
    const trx = await t.db.transaction();
    try {
      const deleting = trx.raw('DELETE FROM whatsapp_numbers WHERE id = :id', { id });
      if (legacy) {
        await expect(deleting).rejects.toMatchObject({ code: '23503' });
      } else {
        await deleting;
        const left = await one<{ n: number }>(trx, 'SELECT (SELECT count(*) FROM bots) + (SELECT count(*) FROM broadcast_recipients) AS n');
        expect(Number(left.n)).toBe(0);
      }
    } finally {
      await trx.rollback();
    }
    expect((await previewNumberDeletion(t.db, id)).counts).toEqual(EXPECTED);
  });

  it('previews, deletes everything under the number, archives every row, and restore brings it back', async () => {
    const keep = await plantNumber(t.db, '+7 900 000-00-02');
    const target = await plantNumber(t.db, '+7 900 000-00-03');
    const preview = await previewNumberDeletion(t.db, '79000000003');
    expect(preview).toMatchObject({ number: { id: target }, counts: EXPECTED, total: 22, otherReferrers: [] });
    const before = await snapshots();

    const { op, r } = await withOp(t.db, async (trx, op) => ({ op, r: await deleteNumber(trx, op, '+7 (900) 000-00-03') }));
    expect(r).toMatchObject({ number: { id: target, phone_number: '+7 900 000-00-03' }, deleted: EXPECTED, total: 22, operationId: op.id });
    expect(await archivedCounts(t.db, op.id)).toEqual({
      'whatsapp_messages:deleted': 6,
      'conversations:deleted': 3,
      'broadcast_recipients:deleted': 8,
      'broadcasts:deleted': 2,
      'bots:deleted': 2,
      'whatsapp_numbers:deleted': 1,
    });
    expect(await one(t.db, 'SELECT count(*)::int AS n FROM whatsapp_numbers WHERE id = :target', { target })).toEqual({ n: 0 });
    // The other number keeps everything.
    expect((await previewNumberDeletion(t.db, keep)).counts).toEqual(EXPECTED);

    await t.db.transaction((trx) => restoreOperation(trx, op.id));
    expect(await snapshots()).toEqual(before);
  });

  it('deactivates a number and its bots, archived, and restore reactivates them', async () => {
    const id = await plantNumber(t.db, '+7 900 000-00-04');
    const before = await snapshots();
    const { op, r } = await withOp(t.db, async (trx, op) => ({ op, r: await deactivateNumber(trx, op, { id }) }));
    expect(r).toMatchObject({ number: { id, is_active: false }, numberDeactivated: true, botsDeactivated: 2 });
    expect(await archivedCounts(t.db, op.id)).toEqual({ 'whatsapp_numbers:updated': 1, 'bots:updated': 2 });
    expect(await one(t.db, 'SELECT count(*)::int AS n FROM bots WHERE whatsapp_number_id = :id AND is_active', { id })).toEqual({ n: 0 });
    const again = await withOp(t.db, (trx, op) => deactivateNumber(trx, op, `id:${id}`));
    expect(again).toMatchObject({ numberDeactivated: false, botsDeactivated: 0 });
    await t.db.transaction((trx) => restoreOperation(trx, op.id));
    expect(await snapshots()).toEqual(before);
  });

  it('refuses unknown numbers and bad references', async () => {
    await expect(previewNumberDeletion(t.db, '+1 000 000 0000')).rejects.toBeInstanceOf(NotFoundError);
    await expect(withOp(t.db, (trx, op) => deleteNumber(trx, op, 999_999))).rejects.toBeInstanceOf(NotFoundError);
    await expect(previewNumberDeletion(t.db, "'; DROP TABLE bots; --")).rejects.toBeInstanceOf(NotFoundError);
    await expect(previewNumberDeletion(t.db, '')).rejects.toBeInstanceOf(UsageError);
    await expect(previewNumberDeletion(t.db, -3)).rejects.toBeInstanceOf(UsageError);
    // 0 is neither an id nor a phone number, however it is written.
    await expect(previewNumberDeletion(t.db, '0')).rejects.toBeInstanceOf(UsageError);
    await expect(previewNumberDeletion(t.db, 'id:0')).rejects.toBeInstanceOf(UsageError);
  });

  it('a table it does not know: refuses only when rows of it would cascade; an empty one does not stop the delete', async () => {
    const empty = await plantNumber(t.db, '+7 900 000-00-05');
    const tagged = await plantNumber(t.db, '+7 900 000-00-06');
    await t.db.raw('CREATE TABLE number_tags (id serial PRIMARY KEY, bot_id int REFERENCES bots (id) ON DELETE CASCADE)');
    try {
      await t.db.raw('INSERT INTO number_tags (bot_id) SELECT id FROM bots WHERE whatsapp_number_id = :tagged', { tagged });
      expect((await previewNumberDeletion(t.db, tagged)).otherReferrers).toMatchObject([{ table_name: 'number_tags', on_delete: 'cascade', rows: 2 }]);
      await expect(withOp(t.db, (trx, op) => deleteNumber(trx, op, tagged))).rejects.toMatchObject({ name: 'RefusedError', message: 'deleting number +7 900 000-00-06 would also change 2 row(s) of number_tags (number_tags_bot_id_fkey, on delete cascade), which bookops cannot archive; nothing was deleted' });
      expect((await previewNumberDeletion(t.db, tagged)).counts).toEqual(EXPECTED);
      // No tag references this number's bots: nothing would be lost, the delete goes ahead.
      expect((await previewNumberDeletion(t.db, empty)).otherReferrers).toMatchObject([{ table_name: 'number_tags', rows: 0 }]);
      expect(await withOp(t.db, (trx, op) => deleteNumber(trx, op, empty))).toMatchObject({ deleted: EXPECTED, total: 22 });
      expect(await one(t.db, 'SELECT count(*)::int AS n FROM number_tags')).toEqual({ n: 2 });
    } finally {
      await t.db.raw('DROP TABLE number_tags');
    }
  });

  it('a blocking key of a table it does not know: a conflict naming the rows, nothing deleted', async () => {
    const id = await plantNumber(t.db, '+7 900 000-00-07');
    await t.db.raw('CREATE TABLE site_notes (id serial PRIMARY KEY, conversation_id int REFERENCES conversations (id))');
    try {
      await t.db.raw('INSERT INTO site_notes (conversation_id) SELECT min(id) FROM conversations WHERE whatsapp_number_id = :id', { id });
      expect((await previewNumberDeletion(t.db, id)).otherReferrers).toMatchObject([{ table_name: 'site_notes', on_delete: 'no action', rows: 1 }]);
      const before = await snapshots();
      await expect(withOp(t.db, (trx, op) => deleteNumber(trx, op, id))).rejects.toMatchObject({ name: 'ConflictError', message: 'cannot delete number +7 900 000-00-07: 1 row(s) of site_notes (site_notes_conversation_id_fkey, on delete no action) still reference it; nothing was deleted' });
      expect(await snapshots()).toEqual(before);
    } finally {
      await t.db.raw('DROP TABLE site_notes');
    }
  });

  it('deletes only what was confirmed: a number that gained rows since the preview is not deleted', async () => {
    const id = await plantNumber(t.db, '+7 900 000-00-08');
    const { counts } = await previewNumberDeletion(t.db, id);
    // While the confirmation is open, the bot starts two conversations.
    await t.db.raw(`INSERT INTO conversations (whatsapp_number_id, contact_phone) VALUES (:id, '+15550001'), (:id, '+15550002')`, { id });
    const before = await snapshots();
    await expect(withOp(t.db, (trx, op) => deleteNumber(trx, op, id, { expected: counts }))).rejects.toMatchObject({ name: 'ConflictError', message: 'WhatsApp number +7 900 000-00-08 changed since the preview (conversations: 3 shown, 5 now); nothing was deleted; run it again' });
    expect(await snapshots()).toEqual(before);
    // Confirmed again with the new counts, it goes.
    const again = await previewNumberDeletion(t.db, id);
    expect(await withOp(t.db, (trx, op) => deleteNumber(trx, op, id, { expected: again.counts }))).toMatchObject({ total: 24 });
  });
});
