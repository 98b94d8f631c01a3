/** Option-value parsers of src/cli/parsers.ts that refuse values the shell lets through. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { databaseName, positiveDuration } from '../../src/cli/parsers.js';

describe('parsers', () => {
  it('positiveDuration: a window must be longer than zero', () => {
    expect(positiveDuration('7d')).toBe(7 * 86_400_000);
    expect(positiveDuration('1ms')).toBe(1);
    for (const zero of ['0', '0s', '0ms', '0d']) {
      expect(() => positiveDuration(zero), zero).toThrow(InvalidArgumentError);
      expect(() => positiveDuration(zero), zero).toThrow('must be longer than 0.');
    }
    expect(() => positiveDuration('-1s')).toThrow(/expected a duration/);
  });

  it('databaseName: not empty, at most 63 bytes', () => {
    expect(databaseName('bookops')).toBe('bookops');
    expect(databaseName('база')).toBe('база');
    expect(() => databaseName('')).toThrow('must not be empty.');
    expect(() => databaseName('   ')).toThrow('must not be empty.');
    expect(databaseName('x'.repeat(63))).toHaveLength(63);
    expect(() => databaseName('x'.repeat(64))).toThrow(/longer than 63 bytes/);
    // 32 Cyrillic letters are 64 bytes.
    expect(() => databaseName('б'.repeat(32))).toThrow(/longer than 63 bytes/);
  });
});
