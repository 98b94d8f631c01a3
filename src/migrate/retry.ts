/**
 * lock_timeout (55P03) is how a migration avoids queueing behind a long transaction and
 * blocking every writer behind itself; the price is that a statement may fail to get its lock.
 * Such a failure is retried with exponential backoff and jitter, a bounded number of times.
 */
import { isPgError, SQLSTATE } from '../data/pg-errors.js';

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8000 };

export function isLockTimeout(err: unknown): boolean {
  return isPgError(err, SQLSTATE.LOCK_NOT_AVAILABLE);
}

export function backoffDelay(attempt: number, opts: RetryOptions, random = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (attempt - 1));
  // "Full jitter": spread retries of concurrent runners apart.
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export async function withLockRetry<T>(fn: () => Promise<T>, opts: RetryOptions = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isLockTimeout(err) || attempt >= opts.attempts) throw err;
      const delay = backoffDelay(attempt, opts);
      opts.onRetry?.(attempt, delay, err);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
