/** parseDuration (src/config/duration.ts), no database. */
import { describe, expect, it } from 'vitest';
import { formatGivenDuration, parseDuration } from '../../src/config/duration.js';

describe('durations', () => {
  it('says a given duration as given: whole seconds as such, else in ms', () => {
    expect(formatGivenDuration(120_000)).toBe('2m');
    expect(formatGivenDuration(1500)).toBe('1500ms');
    expect(formatGivenDuration(250)).toBe('250ms');
  });

  it('parses durations and rejects nonsense', () => {
    expect(parseDuration('1s', 'x')).toBe(1000);
    expect(parseDuration('1h30m', 'x')).toBe(5_400_000);
    expect(parseDuration('250', 'x')).toBe(250);
    expect(() => parseDuration('soon', '--older-than')).toThrow(/--older-than: invalid duration 'soon'/);
    // Longer is a typo, and overflows now() - interval in the queries (exit 7 instead of 2).
    expect(() => parseDuration('99999999d', '--older-than')).toThrow(/--older-than: duration '99999999d' is longer than 100 years/);
    expect(() => parseDuration(String(10 ** 13), '--older-than')).toThrow(/longer than 100 years/);
    expect(parseDuration('36500d', '--older-than')).toBe(36500 * 86_400_000);
  });
});
