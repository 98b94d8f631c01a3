import { describe, expect, it } from 'vitest';
import { safeText } from '../../src/io/safe-text.js';

describe('text from the database, written to a terminal', () => {
  it('shows every control character escaped: a title, a cleared screen, a moved cursor, a bell, a carriage return', () => {
    expect(safeText('Ivan\x1b]0;pwned\x07\x1b[2J\x1b[H')).toBe('Ivan\\x1b]0;pwned\\x07\\x1b[2J\\x1b[H');
    expect(safeText('ok\rNOT OK\x08\x7f\x9b')).toBe('ok\\x0dNOT OK\\x08\\x7f\\x9b');
  });

  it('shows bidirectional overrides escaped: they reorder what a person reads', () => {
    expect(safeText('+7 900 \u202e10-00-555')).toBe('+7 900 \\u202e10-00-555');
  });

  it('keeps our layout and our colours, but not a sequence that conceals text', () => {
    expect(safeText('a\tb\nc')).toBe('a\tb\nc');
    expect(safeText('\x1b[1mbold\x1b[22m \x1b[31;1mred\x1b[39m')).toBe('\x1b[1mbold\x1b[22m \x1b[31;1mred\x1b[39m');
    expect(safeText('visible\x1b[8mhidden\x1b[0m')).toBe('visible\\x1b[8mhidden\x1b[0m');
  });
});
