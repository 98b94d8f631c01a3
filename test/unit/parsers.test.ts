/** src/cli/parsers.ts: option and argument values, refused with one line rather than guessed at. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { databaseName, id, integer, numberRef, operationId, positiveDuration, tgId } from '../../src/cli/parsers.js';

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

  it('an id with spaces around it is refused, not trimmed', () => {
    for (const parse of [id, tgId, operationId, integer(0)]) {
      expect(parse('12')).toBe(12);
      for (const spaced of [' 12 ', ' 12', '12 ', '\t12', '12\n']) {
        expect(() => parse(spaced), JSON.stringify(spaced)).toThrow(InvalidArgumentError);
        expect(() => parse(spaced)).toThrow(/has spaces around it/);
      }
    }
    expect(numberRef('id:42')).toBe('id:42');
    expect(numberRef('+7 900 123-45-67')).toBe('+7 900 123-45-67');
    expect(() => numberRef(' 42 ')).toThrow(/has spaces around it/);
  });

  it('ids stay positive whole numbers within their type', () => {
    expect(() => id('0')).toThrow(/not a positive whole number/);
    expect(() => id('1.5')).toThrow(/not a positive whole number/);
    expect(() => id('2147483648')).toThrow(/too large/);
    expect(() => integer(1, 10)('11')).toThrow(/between 1 and 10/);
  });
});
