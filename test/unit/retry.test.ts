/** backoffDelay (src/migrate/retry.ts), no database. */
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/migrate/retry.js';

describe('backoff', () => {
  it('backs off exponentially with jitter, capped', () => {
    const opts = { attempts: 8, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(50);
    expect(backoffDelay(3, opts, () => 1)).toBe(400);
    expect(backoffDelay(10, opts, () => 1)).toBe(1000);
  });
});
