/**
 * Prompts in a real terminal: the confirmation is asked and a "no" changes nothing; under
 * TERM=dumb the same prompt is a plain question and a typed line, with no escape code written to
 * the terminal; --no-input refuses on a terminal exactly as without one.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { legacySchema } from '../fixtures/schema.js';
import { addInterview, addTimeSlot, count } from '../fixtures/support.js';
import { openTerminal, type Terminal } from '../fixtures/terminal.js';

describe('prompts in a real terminal', { timeout: 180_000 }, () => {
  let t: TestDatabase;
  const terminals: Terminal[] = [];
  const open = async () => {
    const term = await openTerminal({ width: 100, height: 40 });
    terminals.push(term);
    return term;
  };
  const interviews = () => count(t.db, 'SELECT count(*) FROM interviews');

  beforeAll(async () => {
    t = await createTestDatabase('terminal_prompts');
    await legacySchema(t);
  });
  beforeEach(async () => {
    await t.db.raw('DELETE FROM interviews; DELETE FROM time_slots');
    for (const user of [701, 702, 703]) await addInterview(t.db, await addTimeSlot(t.db), user, 'cancelled');
  });
  afterAll(async () => {
    await Promise.all(terminals.map((term) => term.close()));
    await t?.drop();
  });

  it('asks before a destructive action; "n" changes nothing (exit 4)', async () => {
    const term = await open();
    await term.bookops(['--db', t.url, 'interviews', 'clean-cancelled']);
    // inquirer breaks its long line itself, mid-word: read the screen as one line.
    const asked = (await term.waitFor(/Continue\? \(y\/N\)/)).replace(/\n/g, '');
    expect(asked).toMatch(/This will archive and delete 3 cancelled interview\(s\) that block rebooking under the legacy key interviews_time_slot_id_key\. Continue\? \(y\/N\)/);
    await term.keys('n', 'Enter');
    const { code, screen } = await term.exit();
    expect(code).toBe(4);
    expect(screen).toContain('bookops: not confirmed; nothing was changed');
    expect(await interviews()).toBe(3);
  });

  it('under TERM=dumb: a plain question and a typed line, no cursor codes; "y" goes ahead', async () => {
    const term = await open();
    await term.bookops(['--db', t.url, 'interviews', 'clean-cancelled'], { TERM: 'dumb' });
    await term.waitFor(/Continue\? \[y\/N\]/);
    await term.keys('y', 'Enter');
    const { code, screen } = await term.exit();
    expect(code, screen).toBe(0);
    expect(screen).toMatch(/This will archive and delete 3 cancelled interview\(s\) .*Continue\? \[y\/N\] y/);
    expect(await interviews()).toBe(0);
    // Not even colour: TERM=dumb maps to colour level 0, and nothing hides, moves or clears.
    expect(await term.written()).not.toContain('\x1b');
  });

  it('--no-input on a terminal refuses like no terminal (exit 4) and changes nothing', async () => {
    const term = await open();
    await term.bookops(['--db', t.url, '--no-input', 'interviews', 'clean-cancelled']);
    const { code, screen } = await term.exit();
    expect(code).toBe(4);
    expect(screen).toContain('without confirmation: --no-input (pass --yes to confirm, or --dry-run to preview)');
    expect(await interviews()).toBe(3);
  });
});
