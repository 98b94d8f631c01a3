/**
 * bookops whatsapp preview-delete | delete | deactivate through the binary (seed 003), with the
 * legacy blocking foreign keys and after migration 0005's cascading ones: the same rows go
 * either way, every one archived, and restore brings them back row for row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { SCHEMAS } from '../fixtures/domain.js';
import { archived, cli, cliJson, expectOneLineError, NUMBER_ROWS, plantNumber, tables, WHATSAPP_TABLES } from '../fixtures/support.js';

describe.each(SCHEMAS)('whatsapp support commands on the %s schema', (schema, apply) => {
  let t: TestDatabase;
  let id: number;
  beforeAll(async () => {
    t = await createTestDatabase(`support_whatsapp_${schema}`);
    await apply(t);
    id = await plantNumber(t.db, '+7 900 000-00-01');
    await plantNumber(t.db, '+7 900 000-00-02');
  });
  afterAll(async () => t?.drop());

  it('preview-delete lists what would go, by phone number in any formatting or by id', async () => {
    const p = await cliJson(t, 'whatsapp', 'preview-delete', '79000000001');
    expect(p).toMatchObject({ number: { id, phone_number: '+7 900 000-00-01' }, counts: NUMBER_ROWS, total: 22, unarchivableReferrers: [], blockingReferrers: [] });
    expect(p.rows.bots.map((b: { name: string }) => b.name)).toEqual(['bot 1', 'bot 2']);
    expect(p.rows.conversations.map((c: { messages: number }) => c.messages)).toEqual([2, 2, 2]);
    expect(p.rows.broadcasts.map((b: { recipients: number }) => b.recipients)).toEqual([4, 4]);
    const text = await cli(t, 'whatsapp', 'preview-delete', `id:${id}`);
    expect(text.stdout).toContain('deleting +7 900 000-00-01 (Support), id 1 would remove 22 row(s): the number, 2 bot(s), 3 conversation(s) (6 message(s)), 2 broadcast(s) (8 recipient(s))');
  });

  it('bad or unknown numbers, and no terminal without --yes, change nothing', async () => {
    const before = await tables(t.db, WHATSAPP_TABLES);
    expectOneLineError(await cli(t, '--yes', 'whatsapp', 'delete', '+1 555 000 0000'), 5, /WhatsApp number \+1 555 000 0000 does not exist/);
    expectOneLineError(await cli(t, '--yes', 'whatsapp', 'delete', '424242'), 5, /does not exist/);
    expectOneLineError(await cli(t, '--yes', 'whatsapp', 'delete', "'; DELETE FROM bots; --"), 2, /is not a phone number/);
    expectOneLineError(await cli(t, '--yes', 'whatsapp', 'deactivate', 'abc'), 2, /is not a phone number/);
    expectOneLineError(await cli(t, 'whatsapp', 'delete', '+7 900 000-00-01'), 4, /refusing to delete WhatsApp number \+7 900 000-00-01/);
    const dry = await cliJson(t, '--dry-run', 'whatsapp', 'delete', '+7 900 000-00-01');
    expect(dry).toMatchObject({ dryRun: true, plan: { preview: { total: 22 } } });
    expect(await tables(t.db, WHATSAPP_TABLES)).toEqual(before);
  });

  it('deactivate: the number and its bots, archived; restore reactivates', async () => {
    const before = await tables(t.db, WHATSAPP_TABLES);
    const dry = await cliJson(t, '--dry-run', 'whatsapp', 'deactivate', '+7 900 000-00-02');
    expect(dry.plan.changes).toMatchObject([
      { table: 'whatsapp_numbers', change: 'update', total: 1, rows: [{ phone_number: '+7 900 000-00-02', is_active: true }] },
      { table: 'bots', change: 'update', total: 2, rows: [{ name: 'bot 1' }, { name: 'bot 2' }] },
    ]);
    expect((await cli(t, '--dry-run', 'whatsapp', 'deactivate', '+7 900 000-00-02')).stdout).toContain('bots, archived then changed: 2 row(s)');
    const done = await cliJson(t, '--yes', 'whatsapp', 'deactivate', '+7 900 000-00-02');
    expect(done.result).toMatchObject({ numberDeactivated: true, botsDeactivated: 2 });
    expect(await archived(t.db, done.archiveOperation)).toEqual({ 'whatsapp_numbers:updated': 1, 'bots:updated': 2 });
    expect(await cliJson(t, '--yes', 'whatsapp', 'deactivate', '+7 900 000-00-02')).toMatchObject({ nothingToDo: true });
    expect((await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation))).code).toBe(0);
    expect(await tables(t.db, WHATSAPP_TABLES)).toEqual(before);
  });

  it('delete: everything under the number, children first, archived row for row; restore brings it all back', async () => {
    const before = await tables(t.db, WHATSAPP_TABLES);
    const done = await cliJson(t, '--yes', 'whatsapp', 'delete', '+7 900 000-00-01');
    expect(done.result).toMatchObject({ deleted: NUMBER_ROWS, total: 22 });
    expect(await archived(t.db, done.archiveOperation)).toEqual({
      'whatsapp_numbers:deleted': 1,
      'bots:deleted': 2,
      'conversations:deleted': 3,
      'whatsapp_messages:deleted': 6,
      'broadcasts:deleted': 2,
      'broadcast_recipients:deleted': 8,
    });
    expect(await t.db('whatsapp_numbers').pluck('phone_number')).toEqual(['+7 900 000-00-02']);
    expect((await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation))).code).toBe(0);
    expect(await tables(t.db, WHATSAPP_TABLES)).toEqual(before);
  });

  it('a site table under the tree: an empty one does not stop the delete; a row behind a blocking key is warned of, then a conflict', async () => {
    const number = await plantNumber(t.db, '+7 900 000-00-03');
    await t.db.raw('CREATE TABLE site_notes (id serial PRIMARY KEY, conversation_id int REFERENCES conversations (id) ON DELETE CASCADE)');
    await t.db.raw('CREATE TABLE site_flags (id serial PRIMARY KEY, broadcast_id int REFERENCES broadcasts (id))');
    try {
      const other = await plantNumber(t.db, '+7 900 000-00-04');
      await t.db.raw('INSERT INTO site_flags (broadcast_id) SELECT id FROM broadcasts WHERE whatsapp_number_id = :other', { other });
      const preview = await cli(t, 'whatsapp', 'preview-delete', '+7 900 000-00-04');
      expect(preview.stdout).toContain(
        'delete would fail (exit 6): 2 row(s) of site_flags (site_flags_broadcast_id_fkey, on delete no action) still reference these rows; remove them first',
      );
      const before = await tables(t.db, WHATSAPP_TABLES);
      expectOneLineError(
        await cli(t, '--yes', 'whatsapp', 'delete', '+7 900 000-00-04'),
        6,
        /cannot delete number \+7 900 000-00-04: 2 row\(s\) of site_flags \(site_flags_broadcast_id_fkey, on delete no action\) still reference it; nothing was deleted/,
      );
      expect(await tables(t.db, WHATSAPP_TABLES)).toEqual(before);

      // site_notes cascades from conversations but holds no row of this number: nothing is lost.
      const clean = await cliJson(t, 'whatsapp', 'preview-delete', String(number));
      expect(clean).toMatchObject({ unarchivableReferrers: [], blockingReferrers: [] });
      expect(clean.otherReferrers).toMatchObject([
        { table_name: 'site_flags', on_delete: 'no action', rows: 0 },
        { table_name: 'site_notes', on_delete: 'cascade', rows: 0 },
      ]);
      const done = await cliJson(t, '--yes', 'whatsapp', 'delete', String(number));
      expect(done.result).toMatchObject({ deleted: NUMBER_ROWS, total: 22 });
      await t.db('site_flags').delete();
      expect((await cli(t, '--yes', 'archive', 'restore', String(done.archiveOperation))).code).toBe(0);
    } finally {
      await t.db.raw('DROP TABLE site_notes, site_flags');
    }
  });
});
