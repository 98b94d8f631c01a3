/**
 * bookops archive list|show|restore through the binary (the interactive confirmation is in
 * test/unit/prompts.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOperation } from '../../src/archive/operation.js';
import { deleteArchived } from '../fixtures/archive.js';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';
import { addInterview, addTimeSlot } from '../fixtures/support.js';

async function snapshot(t: TestDatabase, table: string): Promise<string[]> {
  const { rows } = await t.db.raw(`SELECT to_jsonb(x)::text AS r FROM ${table} x`);
  return rows.map((r: { r: string }) => r.r).sort();
}

describe('archive commands', () => {
  let t: TestDatabase;
  let opId: number;
  let before: string[];
  beforeAll(async () => {
    t = await createTestDatabase('archive_cli');
    await legacySchema(t);
    await t.db.raw(`
      INSERT INTO whatsapp_numbers (phone_number) VALUES ('+15550001'), ('+15550002');
      INSERT INTO bots (whatsapp_number_id, name, scenario) VALUES (1, 'b1', '{"steps": [1, 2]}'), (2, 'b2', NULL);`);
    before = await snapshot(t, 'bots');
    opId = await t.db.transaction(async (trx) => {
      const op = await beginOperation(trx, { action: 'test.delete-bots', commandLine: 'bookops test' });
      await deleteArchived(trx, op, 'bots', 't.whatsapp_number_id = :n', { n: 1 });
      return op.id;
    });
  });
  afterAll(async () => t?.drop());

  it('lists and shows the operation', async () => {
    const list = JSON.parse((await runCli(['--db', t.url, '--json', 'archive', 'list'])).stdout);
    expect(list.operations[0]).toMatchObject({ id: opId, action: 'test.delete-bots', rows: 1, restored_at: null });
    const show = await runCli(['--db', t.url, '--json', 'archive', 'show', String(opId)]);
    expect(JSON.parse(show.stdout)).toMatchObject({ id: opId, tables: [{ table_name: 'bots', change: 'deleted', rows: 1 }] });
  });

  it('records the command line without the password of the --db URL', async () => {
    const url = new URL(t.url);
    // The system server trusts local connections and ignores a password; the embedded one needs its own.
    if (!url.password) url.password = 'fake-secret-123';
    const password = decodeURIComponent(url.password);
    const r = await runCli(['--db', url.toString(), '--yes', '--json', 'whatsapp', 'deactivate', '+15550002']);
    expect(r.code, r.stderr).toBe(0);
    const op = JSON.parse(r.stdout).archiveOperation;
    const [{ command_line }] = (await t.db.raw('SELECT command_line FROM bookops_archive_operations WHERE id = ?', [op])).rows;
    expect(command_line).toContain('whatsapp deactivate +15550002');
    expect(command_line).toContain(':****@');
    expect(command_line).not.toContain(password);
    expect((await runCli(['--db', t.url, 'archive', 'show', String(op)])).stdout).not.toContain(password);
    expect((await runCli(['--db', t.url, '--yes', 'archive', 'restore', String(op)])).code).toBe(0);
  });

  it('records the command line quoted as a shell reads it: a number with spaces is one word', async () => {
    await t.db.raw(`INSERT INTO whatsapp_numbers (phone_number) VALUES ('+7 900 000-00-01')`);
    const r = await runCli(['--db', t.url, '--yes', '--json', 'whatsapp', 'deactivate', '+7 900 000-00-01']);
    expect(r.code, r.stderr).toBe(0);
    const op = JSON.parse(r.stdout).archiveOperation;
    const [{ command_line }] = (await t.db.raw('SELECT command_line FROM bookops_archive_operations WHERE id = ?', [op])).rows;
    expect(command_line).toMatch(/ --yes --json whatsapp deactivate '\+7 900 000-00-01'$/);
    const show = await runCli(['--db', t.url, '--json', 'archive', 'show', String(op)]);
    expect(JSON.parse(show.stdout).command_line).toBe(command_line);
    expect((await runCli(['--db', t.url, '--yes', 'archive', 'restore', String(op)])).code).toBe(0);
  });

  it('refuses bad and unknown ids with the documented codes', async () => {
    const bad = await runCli(['--db', t.url, 'archive', 'restore', "1; DROP TABLE bots"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    const unknown = await runCli(['--db', t.url, 'archive', 'show', '999999']);
    expect(unknown.code).toBe(5);
    expect(unknown.stderr).toContain('archive operation 999999 does not exist');
  });

  it('dry-run and no-TTY restores change nothing; --yes restores row for row', async () => {
    const dry = await runCli(['--db', t.url, '--dry-run', 'archive', 'restore', String(opId)]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^operation \d+ \(test\.delete-bots\) can be restored \(rehearsed and rolled back, nothing changed\): 1 bots reinserted\nstatements:\n/);
    // The statements the restore sends, as the other destructive commands show theirs.
    const json = JSON.parse((await runCli(['--db', t.url, '--dry-run', '--json', 'archive', 'restore', String(opId)])).stdout);
    expect(json.statements.length).toBeGreaterThan(0);
    for (const s of json.statements) expect(dry.stdout).toContain(s.sql.split('\n').map((l: string) => `  ${l}`).join('\n') + ';');
    expect(await snapshot(t, 'bots')).toHaveLength(1);
    expect(JSON.parse((await runCli(['--db', t.url, '--json', 'archive', 'show', String(opId)])).stdout)).toMatchObject({ restored_at: null });
    const noTty = await runCli(['--db', t.url, 'archive', 'restore', String(opId)]);
    expect(noTty.code).toBe(4);
    expect(await snapshot(t, 'bots')).toHaveLength(1);
    const done = await runCli(['--db', t.url, '--yes', '--json', 'archive', 'restore', String(opId)]);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout).restored.inserted).toEqual({ bots: 1 });
    expect(await snapshot(t, 'bots')).toEqual(before);
    const twice = await runCli(['--db', t.url, '--yes', 'archive', 'restore', String(opId)]);
    expect(twice.code).toBe(4);
  });

  it('a batched run that stopped before its end is listed as incomplete; one that ran through is complete', async () => {
    for (const user of [601, 602]) await addInterview(t.db, await addTimeSlot(t.db), user, 'cancelled');
    // A rule of the site's own stops the second batch (as a Ctrl-C between batches would).
    await t.db.raw(`
      CREATE FUNCTION keep_602() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF OLD.bot_user_id = 602 THEN RAISE EXCEPTION 'site rule: keep 602'; END IF; RETURN OLD; END $$;
      CREATE TRIGGER keep_602 BEFORE DELETE ON interviews FOR EACH ROW EXECUTE FUNCTION keep_602();`);
    const stopped = await runCli(['--db', t.url, '--yes', 'interviews', 'clean-cancelled', '--batch-size', '1']);
    expect(stopped.code, stopped.stderr).toBe(7);
    const [last] = JSON.parse((await runCli(['--db', t.url, '--json', 'archive', 'list'])).stdout).operations;
    expect(last).toMatchObject({ action: 'interviews.clean-cancelled', rows: 1, complete: false, summary: { complete: false, error: expect.stringContaining('site rule: keep 602') } });
    // Seven columns do not fit 100 without wrapping: the plain format has each field on its line.
    expect((await runCli(['--db', t.url, 'archive', 'list', '--format', 'plain'])).stdout).toMatch(new RegExp(`^op +${last.id}\\naction +interviews\\.clean-cancelled\\nrows +1 \\(incomplete\\)$`, 'm'));
    expect((await runCli(['--db', t.url, 'archive', 'show', String(last.id)])).stdout).toContain('complete: no (interrupted or failed before its end: site rule: keep 602');

    await t.db.raw('DROP TRIGGER keep_602 ON interviews; DROP FUNCTION keep_602()');
    const done = JSON.parse((await runCli(['--db', t.url, '--yes', '--json', 'interviews', 'clean-cancelled'])).stdout);
    const [through] = JSON.parse((await runCli(['--db', t.url, '--json', 'archive', 'list'])).stdout).operations;
    expect(through).toMatchObject({ id: done.archiveOperation, rows: 1, complete: true, summary: { deleted: 1, complete: true } });
  });
});
