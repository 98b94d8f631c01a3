/** Tables fit the screen (src/io/table-layout.ts, Output.table): widths shared, cells wrapped, --format plain. */
import { describe, expect, it } from 'vitest';
import { formatOption } from '../../src/cli/options.js';
import { Output } from '../../src/io/output.js';
import { columnWidths, screenWidth, wrapCell, DEFAULT_WIDTH } from '../../src/io/table-layout.js';

const LONG = 'restore the room (UPDATE chat_rooms SET deleted_at = NULL WHERE id = <deleted_room_ids[0]>: its messages come back with it); only a room without messages can be deleted instead';

function output(env: NodeJS.ProcessEnv, format?: string): Output {
  return new Output({ json: false, quiet: false, verbose: false, color: false, env, format, stdout: { isTTY: false } as NodeJS.WriteStream });
}

describe('table layout', () => {
  it('uses the terminal width, else COLUMNS, else a default', () => {
    expect(screenWidth({ isTTY: true, columns: 72 }, { COLUMNS: '200' })).toBe(72);
    expect(screenWidth({ isTTY: false }, { COLUMNS: '60' })).toBe(60);
    expect(screenWidth({ isTTY: false }, {})).toBe(DEFAULT_WIDTH);
  });

  it('keeps narrow columns and shares the rest among the wide ones', () => {
    // 3 columns: 4 borders + 6 padding = 10 of the 60.
    expect(columnWidths([5, 100, 100], 60)).toEqual([5, 22, 23]);
    expect(columnWidths([5, 10], 100)).toEqual([5, 10]);
    const widths = columnWidths([7, 30, 348], 100);
    expect(widths.reduce((a, b) => a + b, 0) + 4 + 6).toBeLessThanOrEqual(100);
    expect(widths.slice(0, 2)).toEqual([7, 30]);
  });

  it("keeps each column's longest word whole when it can, squeezing the text columns first", () => {
    // An action name of 26 letters stays whole; the sentence column gives up the width.
    expect(columnWidths([5, 26, 80], 60, [5, 26, 10])).toEqual([5, 26, 19]);
    // When even the words do not fit, every column shares.
    expect(columnWidths([30, 30, 30], 40, [30, 30, 30])).toEqual([10, 10, 10]);
  });

  it('wraps a cell at spaces and cuts a word longer than the column', () => {
    expect(wrapCell('one two three', 7)).toBe('one two\nthree');
    expect(wrapCell('abcdefghij', 4)).toBe('abcd\nefgh\nij');
    for (const line of wrapCell(LONG, 30).split('\n')) expect(line.length).toBeLessThanOrEqual(30);
  });

  it('draws every line of a table with a long cell within the width', () => {
    const text = output({ COLUMNS: '80' }).table(['status', 'check', 'repair'], [['finding', 'chats.blocked-by-deleted', LONG]]);
    const lines = text.split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines.length).toBeGreaterThan(5);
    expect(lines.join(' ').replace(/[|+-]/g, ' ').replace(/\s+/g, ' ')).toContain('restore the room (UPDATE chat_rooms SET deleted_at');
  });

  it('prints a row of more columns than the width can hold as column  value lines, not a table cut below it', () => {
    const head = ['id', 'recruiter_id', 'start_utc', 'duration_min', 'status', 'candidate_tg_id', 'candidate_fio', 'candidate_tz', 'created_at', 'updated_at'];
    const row = [16, 3, '2026-12-07T10:00:00.000Z', 60, 'booked', 5100000016, 'Candidate 16', 'Europe/Moscow', '2026-12-01T09:00:00.000Z', null];
    const at80 = output({ COLUMNS: '80' }).table(head, [row, row]);
    expect(at80.split('\n\n')).toHaveLength(2);
    expect(at80.split('\n')[1]).toBe('recruiter_id     3');
    for (const line of at80.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
    // Many narrow columns still make a table: only those wider than 8 are counted at 8.
    const narrow = output({ COLUMNS: '80' }).table(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]);
    expect(narrow.split('\n')[0]).toMatch(/^\+-+\+/);
    // Wide enough for every column: a table, within the width.
    const at200 = output({ COLUMNS: '200' }).table(head, [row]);
    expect(at200.split('\n')[0]).toMatch(/^\+-+\+/);
    for (const line of at200.split('\n')) expect(line.length).toBeLessThanOrEqual(200);
  });

  it('prints rows as column  value lines with --format plain, as its --help says', () => {
    const text = output({ COLUMNS: '40' }, 'plain').table(['check', 'count'], [['chats.missing', 10], ['outbox.stuck', null]]);
    expect(text).toBe('check  chats.missing\ncount  10\n\ncheck  outbox.stuck\ncount');
    expect(formatOption().description).toContain('plain: one "column  value" line per field');
  });
});
