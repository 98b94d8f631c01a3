/**
 * Tables fit the terminal: on the demo database, `bookops audit` and `chats verify` in a real
 * 100-column terminal draw no line the terminal has to wrap, the audit's repairs come below its
 * table, and `--format plain` on a 40-column terminal prints no table at all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';
import { openTerminal, type Terminal } from '../fixtures/terminal.js';

/** A table's line on a terminal (colour on: box-drawing borders). */
const BORDER = /^[┌├└│]/;

/** The lines a person sees, each as long as it was printed (capture-pane -J joins what the terminal wrapped). */
async function printedLines(term: Terminal): Promise<string[]> {
  return (await term.screen({ joined: true })).split('\n').map((l) => l.trimEnd());
}

describe('tables in a real terminal', { timeout: 180_000 }, () => {
  let t: TestDatabase;
  const terminals: Terminal[] = [];
  const open = async (width: number) => {
    const term = await openTerminal({ width, height: 40 });
    terminals.push(term);
    return term;
  };

  beforeAll(async () => {
    t = await createTestDatabase('terminal_tables');
    await legacySchema(t);
    const seed = await runCli(['--db', t.url, 'demo', 'seed', '--scale', '1000', '--json'], { timeoutMs: 300_000 });
    expect(seed.code, seed.stderr).toBe(0);
  });
  afterAll(async () => {
    await Promise.all(terminals.map((term) => term.close()));
    await t?.drop();
  });

  it('audit fits 100 columns and prints each repair under its finding', async () => {
    const term = await open(100);
    await term.bookops(['--db', t.url, 'audit']);
    expect((await term.exit()).code).toBe(1);
    const lines = await printedLines(term);
    const table = lines.filter((l) => BORDER.test(l));
    expect(table.length).toBeGreaterThan(15);
    for (const line of table) expect(line.length).toBeLessThanOrEqual(100);
    expect(table.find((l) => /│ status\s+│ check\s+│ severity\s+│ count\s+│$/.test(l))).toBeDefined();
    expect(table.join('\n')).not.toContain('repair');
    // The long repair (348 columns in a table cell before) is a line of its own under its finding.
    const finding = lines.findIndex((l) => l.startsWith('chats.blocked-by-deleted: '));
    expect(finding).toBeGreaterThan(0);
    expect(lines.slice(finding).find((l) => l.startsWith('  repair: '))).toMatch(/^ {2}repair: restore the room \(UPDATE chat_rooms SET deleted_at = NULL/);
  });

  it('chats verify draws its objects table within 100 columns', async () => {
    const term = await open(100);
    await term.bookops(['--db', t.url, 'chats', 'verify']);
    expect((await term.exit()).code).toBe(1);
    const table = (await printedLines(term)).filter((l) => BORDER.test(l));
    expect(table.some((l) => /│ key\s+│ chat_rooms \(teacher_id, student_id\)/.test(l))).toBe(true);
    for (const line of table) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('--format plain prints column: value lines and no table on a 40-column screen', async () => {
    const term = await open(40);
    await term.bookops(['--db', t.url, 'audit', '--format', 'plain', 'chats']);
    expect((await term.exit()).code).toBe(1);
    const screen = await term.screen({ joined: true });
    expect(screen).toMatch(/^status\s+FINDING\ncheck\s+chats\.missing\nseverity\s+error\ncount\s+10$/m);
    expect(screen).not.toMatch(/^[┌├└│]/m);
  });

  it('--format refuses a format the command has not', async () => {
    const r = await runCli(['--db', t.url, 'audit', '--format', 'csv']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--format <format>': 'csv' expected one of: table, plain");
  });
});
