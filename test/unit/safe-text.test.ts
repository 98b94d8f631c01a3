import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Output } from '../../src/io/output.js';
import { safeText } from '../../src/io/safe-text.js';

describe('text from the database, written to a terminal', () => {
  it('shows every control character escaped: a title, a cleared screen, a moved cursor, a bell, a carriage return', () => {
    expect(safeText('Ivan\x1b]0;pwned\x07\x1b[2J\x1b[H')).toBe('Ivan\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H');
    expect(safeText('ok\rNOT OK\x08\x7f\x9b')).toBe('ok\\x0dNOT OK\\x08\\x7f\\x9b');
  });

  it('shows bidirectional overrides escaped: they reorder what a person reads', () => {
    expect(safeText('+7 900 \u202e10-00-555')).toBe('+7 900 \\u202e10-00-555');
  });

  it('keeps our layout and our colours, but no sequence that could hide text', () => {
    expect(safeText('a\tb\nc')).toBe('a\tb\nc');
    expect(safeText('\x1b[1mbold\x1b[22m \x1b[31;1mred\x1b[39m \x1b[2mdim\x1b[22m')).toBe('\x1b[1mbold\x1b[22m \x1b[31;1mred\x1b[39m \x1b[2mdim\x1b[22m');
    // Conceal (also spelt 08), black on black, a 256-colour grey: none of them ours.
    expect(safeText('visible\x1b[8mhidden\x1b[0m')).toBe('visible\\x1b[8mhidden\x1b[0m');
    expect(safeText('a\x1b[08mb')).toBe('a\\x1b[08mb');
    expect(safeText('a\x1b[30;40mb')).toBe('a\\x1b[30;40mb');
    expect(safeText('a\x1b[38;5;8mb')).toBe('a\\x1b[38;5;8mb');
  });
});

describe('SQL to run, printed', () => {
  /** What an Output writes to a stream that is (or is not) a terminal. */
  function written(isTTY: boolean, sql: string): string {
    let text = '';
    const stdout = Object.assign(new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }), { isTTY });
    new Output({ json: false, quiet: false, verbose: false, color: false, stdout: stdout as never, stderr: stdout as never, env: {} }).printSql(sql);
    return text;
  }
  const definition = "CREATE UNIQUE INDEX x ON slots (id) WHERE status <> '\x1b]0;PWNED\x07';\n";

  it('exactly as it will be sent into a file or a pipe (psql runs it), escaped on a terminal', () => {
    expect(written(false, definition)).toBe(definition);
    expect(written(true, definition)).toBe("CREATE UNIQUE INDEX x ON slots (id) WHERE status <> '\\x1b]0;PWNED\\x07';\n");
  });
});
