/**
 * "A table this command needs is absent" is one exit code for every command (7, DATABASE:
 * the schema is not what bookops expects; AbsentTablesError), one line on stderr, and the tables
 * in --json's error.absentTables: repairs and support actions, outbox stats, chats metrics,
 * chats verify --backfill and demo seed, on a database without the platform tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';

describe('a command on a database without the tables it needs', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('absent_tables');
  });
  afterAll(async () => t?.drop());

  it.each([
    // A read-only command changes nothing whatever happens: it does not say so.
    [['outbox', 'stats'], /^bookops: the recruiting module is not in this database \(tables [^;]*\)$/],
    [['--yes', 'slots', 'release', '1'], /^bookops: the recruiting module is not in this database \(tables .*\); nothing was changed$/],
    [['--yes', 'outbox', 'dedupe'], /^bookops: the recruiting module is not in this database/],
    [['whatsapp', 'preview-delete', '42'], /^bookops: the whatsapp module is not in this database \(tables [^;]*\)$/],
    [['--yes', 'interviews', 'clean-cancelled'], /^bookops: the interviews module is not in this database/],
    [['chats', 'metrics'], /^bookops: no chat metrics on .*: no table bookings, lessons, chat_rooms/],
    [['--yes', 'chats', 'verify', '--backfill'], /^bookops: cannot backfill: no table bookings, lessons, chat_rooms/],
    [['demo', 'seed', '--scale', '1'], /^bookops: .* lacks the platform schema: no platform table exists/],
  ])('%j: exit 7, one line, the absent tables in --json', async (args, message) => {
    const r = await runCli(['--db', t.url, ...args]);
    expect(r.code, r.stderr).toBe(7);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    const json = await runCli(['--db', t.url, '--json', ...args]);
    expect(json.code).toBe(7);
    const { error } = JSON.parse(json.stdout);
    expect(error).toMatchObject({ code: 'database', exitCode: 7 });
    expect(error.absentTables.length).toBeGreaterThan(0);
  });
});

describe('a command on a database where one table of its module is absent', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('absent_one_table');
    await legacySchema(t);
    await t.db.raw('DROP TABLE slot_reminder_jobs');
  });
  afterAll(async () => t?.drop());

  it('names only the absent table, in the line and in error.absentTables', async () => {
    const r = await runCli(['--db', t.url, '--yes', 'slots', 'release', '1']);
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr.trim()).toBe('bookops: the recruiting module is incomplete in this database: table slot_reminder_jobs is absent; nothing was changed');
    const json = await runCli(['--db', t.url, '--json', '--yes', 'slots', 'release', '1']);
    expect(JSON.parse(json.stdout).error.absentTables).toEqual(['slot_reminder_jobs']);
  });
});
