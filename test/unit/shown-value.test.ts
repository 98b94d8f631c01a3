/** shownValue (src/io/render-plan.ts): a statement's parameter as a dry run prints it on a terminal. */
import { describe, expect, it } from 'vitest';
import { shownValue } from '../../src/io/render-plan.js';

describe('shownValue', () => {
  it('prints short values whole, and NULL for none', () => {
    expect(shownValue(null)).toBe('NULL');
    expect(shownValue([1, 2, 3])).toBe('[1,2,3]');
    expect(shownValue('pending')).toBe('"pending"');
  });

  it('cuts a long list, and a long list sent as one JSON text, after 20 items', () => {
    const ids = Array.from({ length: 25 }, (_, i) => i + 1);
    expect(shownValue(ids)).toBe(`[${ids.slice(0, 20).join(',')},… 5 more]`);
    const rows = Array.from({ length: 500 }, (_, i) => ({ slot: i, candidate: 7000 + i, text: 'your slot was released' }));
    const shown = shownValue(JSON.stringify(rows));
    expect(shown.endsWith('… 480 more items')).toBe(true);
    expect(shown).toContain('{\\"slot\\":19,');
    expect(shown).not.toContain('{\\"slot\\":20,');
    expect(shown.length).toBeLessThan(2000);
  });

  it('cuts other long text after 500 characters, saying how much is left', () => {
    expect(shownValue('x'.repeat(700))).toBe(`"${'x'.repeat(500)}"… 200 more characters`);
  });
});
