import { UsageError } from '../errors.js';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Longer is a typo, and would overflow timestamps in the queries (now() - interval). */
const MAX_DURATION_MS = 100 * 365 * 86_400_000;

/**
 * Parses "500ms", "1s", "5min", "2h", "30d", "1h30m" or a bare number of milliseconds.
 * `what` names the option in the error, e.g. "--lock-timeout".
 */
export function parseDuration(text: string, what: string): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+$/.test(trimmed)) return withinLimit(Number(trimmed), text, what);
  const part = /(\d+(?:\.\d+)?)\s*(ms|sec|min|s|m|h|d|w)/gy;
  let total = 0;
  let consumed = 0;
  for (let match = part.exec(trimmed); match; match = part.exec(trimmed)) {
    total += Number(match[1]) * UNITS[match[2]];
    consumed = part.lastIndex;
  }
  if (consumed === 0 || consumed !== trimmed.length) {
    throw new UsageError(`${what}: invalid duration '${text}' (examples: 500ms, 1s, 5min, 2h, 30d)`);
  }
  return withinLimit(Math.round(total), text, what);
}

function withinLimit(ms: number, text: string, what: string): number {
  if (ms > MAX_DURATION_MS) throw new UsageError(`${what}: duration '${text}' is longer than 100 years`);
  return ms;
}

/** A duration someone gave (a limit, a timeout), as given: whole seconds as formatDuration, else in ms (1500ms, not 2s). */
export function formatGivenDuration(ms: number): string {
  return ms % 1000 ? `${ms}ms` : formatDuration(ms);
}

/** 90061000 -> "1d 1h 1m 1s"; used in human output only. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join(' ');
}
