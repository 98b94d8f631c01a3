/**
 * Seed 003: a WhatsApp number in use cannot be deleted (foreign keys without ON DELETE CASCADE).
 * Red on the legacy schema (a plain DELETE fails), cascading after migration 0005; the rule
 * deletes the number with everything under it on both, archived, with a preview and an undo,
 * and deactivation is the reversible alternative.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreOperation } from '../src/archive/restore.js';
import { NotFoundError, RefusedError, UsageError } from '../src/errors.js';
import { deactivateNumber, deleteNumber, NUMBER_TREE, previewNumberDeletion } from '../src/domain/whatsapp/index.js';
import { createTestDatabase, type TestDatabase } from './helpers/db.js';
import { archivedCounts, NUMBER_ROWS, one, plantNumber, SCHEMAS, snapshot, withOp } from './helpers/domain-fixtures.js';

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
  });

  it('refuses to delete when a table it does not know would cascade unarchived rows', async () => {
    const id = await plantNumber(t.db, '+7 900 000-00-05');
    await t.db.raw('CREATE TABLE number_tags (id serial PRIMARY KEY, bot_id int REFERENCES bots (id) ON DELETE CASCADE)');
    try {
      expect((await previewNumberDeletion(t.db, id)).otherReferrers).toMatchObject([{ table_name: 'number_tags', on_delete: 'cascade' }]);
      await expect(withOp(t.db, (trx, op) => deleteNumber(trx, op, id))).rejects.toBeInstanceOf(RefusedError);
      expect((await previewNumberDeletion(t.db, id)).counts).toEqual(EXPECTED);
    } finally {
      await t.db.raw('DROP TABLE number_tags');
    }
  });
});
