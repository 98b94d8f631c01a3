/** Option-value parsers: a bad value becomes one commander "invalid argument" line, exit 2. */
import { InvalidArgumentError } from 'commander';
import { parseDuration } from '../config/duration.js';
import { INT4_MAX } from '../domain/validate.js';

/**
 * A value with spaces around it is refused, not trimmed: ' 12 ' is what a broken script or a
 * paste produced, and acting on the 12 inside it is a guess (an id in a destructive command).
 */
function untrimmed(value: string): string {
  if (value !== value.trim()) throw new InvalidArgumentError('has spaces around it.');
  return value;
}

export function integer(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^-?\d+$/.test(untrimmed(value))) throw new InvalidArgumentError('is not a whole number.');
    const n = Number(value);
    if (n < min || n > max) {
      throw new InvalidArgumentError(
        max === Number.MAX_SAFE_INTEGER ? `must be at least ${min}.` : `must be between ${min} and ${max}.`,
      );
    }
    return n;
  };
}

/**
 * A positive whole number up to `max` (no injection, no -1), the limit said when it is passed.
 * Commander names the option and the value: "option '--slot <id>': 'abc' is not a positive whole number".
 */
function positiveUpTo(max: number, kind: string) {
  return (value: string): number => {
    const text = untrimmed(value);
    if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError('is not a positive whole number.');
    const n = Number(text);
    if (!(n <= max)) throw new InvalidArgumentError(`is too large: ${kind} go up to ${max}.`);
    return n;
  };
}

/** A database id (SERIAL, int4). */
export const id = positiveUpTo(INT4_MAX, 'ids');

/** A Telegram id (BIGINT), as far as a JavaScript number holds it exactly. */
export const tgId = positiveUpTo(Number.MAX_SAFE_INTEGER, 'Telegram ids');

/** An archive operation id (bigserial), as far as a JavaScript number holds it exactly. */
export const operationId = positiveUpTo(Number.MAX_SAFE_INTEGER, 'operation ids');

/** For repeatable or variadic values: --keep 12 --keep 14, requeue 12 13 14. */
export function many<T>(parse: (value: string) => T) {
  return (value: string, previous: T[] = []): T[] => [...previous, parse(value)];
}

/** A name given as a filter (an outbox type): empty would match nothing and report a false "nothing to do". */
export function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty.');
  return value;
}

export function duration(value: string): number {
  try {
    return parseDuration(value, 'duration');
  } catch (err) {
    if (/longer than/.test((err as Error).message)) throw new InvalidArgumentError('must be at most 100 years.');
    throw new InvalidArgumentError(`expected a duration such as 500ms, 1s, 5min, 2h or 30d.`);
  }
}

/** A duration that must be longer than zero (a window of 0 measures nothing and reports it as a clean 0). */
export function positiveDuration(value: string): number {
  const ms = duration(value);
  if (ms <= 0) throw new InvalidArgumentError('must be longer than 0.');
  return ms;
}

/**
 * A PostgreSQL database name: not empty (a URL without one connects to the database named like
 * the user, not the one meant), at most 63 bytes (longer names are cut by the server).
 */
export function databaseName(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('must not be empty.');
  if (Buffer.byteLength(value) > 63) throw new InvalidArgumentError('is longer than 63 bytes, the most a PostgreSQL name holds.');
  return value;
}

/** One of `allowed`; the parser carries them as `choices`, for the shell completion (src/cli/completion.ts). */
export function choice<T extends string>(...allowed: T[]) {
  const parse = (value: string): T => {
    if (!(allowed as string[]).includes(value)) {
      throw new InvalidArgumentError(`expected one of: ${allowed.join(', ')}.`);
    }
    return value as T;
  };
  return Object.assign(parse, { choices: [...allowed] as readonly T[] });
}

/** For repeatable options taken as they are: --check a --check b. */
export const collect = many((value: string) => value);

/** A WhatsApp number as support types it: an id (42, id:42) or a phone number (+7 900 123-45-67); 0 is neither. */
export function numberRef(value: string): string {
  const text = untrimmed(value);
  if (!/^(id:)?0+$/i.test(text) && (/^(id:)?\d{1,10}$/i.test(text) || /^\+?[0-9][0-9 ()\-.]{2,31}$/.test(text))) return text;
  throw new InvalidArgumentError('is not a phone number (+7 900 123-45-67) or a number id (42, id:42).');
}
