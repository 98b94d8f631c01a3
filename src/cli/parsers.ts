/** Option-value parsers: a bad value becomes one commander "invalid argument" line, exit 2. */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../config/duration.js';

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(value.trim())) throw new InvalidArgumentError('is not a whole number.');
    const n = Number(value);
    if (n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}.` : `must be between ${min} and ${max}.`,
      );
    }
    return n;
  };
}

/** A database id given on the command line: a positive whole number (no injection, no -1). */
export function id(what: string) {
  return (value: string): number => {
    if (!/^[1-9]\d{0,17}$/.test(value.trim()) || !Number.isSafeInteger(Number(value))) {
      throw new InvalidArgumentError(`${what} must be a positive whole number, got '${value.slice(0, 40)}'.`);
    }
    return Number(value);
  };
}

export function duration(value: string): number {
  try {
    return parseDuration(value, 'duration');
  } catch (err) {
    if (/longer than/.test((err as Error).message)) throw new InvalidArgumentError('must be at most 100 years.');
    throw new InvalidArgumentError(`expected a duration such as 500ms, 1s, 5min, 2h or 30d.`);
  }
}

export function choice<T extends string>(...allowed: T[]) {
  return (value: string): T => {
    if (!(allowed as string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}.`);
    }
    return value as T;
  };
}

/** For repeatable options: --check a --check b. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
