/**
 * Migration runs are serialised by a session advisory lock held on a connection of its own for
 * the whole run. It is polled with pg_try_advisory_lock: a blocking pg_advisory_lock could wait
 * forever, and a waiting session can deadlock with a concurrent CREATE INDEX CONCURRENTLY
 * (which waits for every transaction that might see the table, including that wait).
 */
import pg from 'pg';
import { RefusedError } from '../errors.js';
import type { Target } from '../config/target.js';
import { connectClient, type SessionOptions } from '../data/connect.js';
import { sqlText } from '../data/sql-files.js';

/** Two int4 keys: 'bkop' and 1 for "migrations". */
export const MIGRATION_LOCK = { key1: 0x626b6f70, key2: 1 } as const;

export interface LockHolder {
  pid: number;
  user: string;
  application_name: string;
  client_addr: string | null;
  backend_start: Date;
  state: string | null;
}

export interface HeldLock {
  release(): Promise<void>;
}

export async function lockHolder(client: pg.Client): Promise<LockHolder | undefined> {
  const text = sqlText('migrate/lock-holder').replace(':key1', '$1').replace(':key2', '$2');
  const { rows } = await client.query<LockHolder>(text, [MIGRATION_LOCK.key1, MIGRATION_LOCK.key2]);
  return rows[0];
}

export function describeHolder(h: LockHolder): string {
  const who = `${h.user}${h.client_addr ? ` from ${h.client_addr}` : ''}`;
  const since = h.backend_start instanceof Date ? h.backend_start.toISOString() : String(h.backend_start);
  return `pid ${h.pid} (${h.application_name || 'unknown application'}, ${who}, connected since ${since})`;
}

export async function acquireMigrationLock(
  target: Target,
  session: SessionOptions,
  opts: { waitMs: number; pollMs?: number; onWait?: (holder: LockHolder | undefined) => void },
): Promise<HeldLock> {
  const { client } = await connectClient(target, session);
  const pollMs = opts.pollMs ?? 500;
  const deadline = Date.now() + opts.waitMs;
  let announced = false;
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [
        MIGRATION_LOCK.key1,
        MIGRATION_LOCK.key2,
      ]);
      if (rows[0].ok) {
        return {
          release: async () => {
            await client.query('SELECT pg_advisory_unlock($1, $2)', [MIGRATION_LOCK.key1, MIGRATION_LOCK.key2]).catch(() => undefined);
            await client.end().catch(() => undefined);
          },
        };
      }
      const holder = await lockHolder(client);
      if (!announced) {
        opts.onWait?.(holder);
        announced = true;
      }
      if (Date.now() >= deadline) {
        throw new RefusedError(
          `another migration run holds the migration lock${holder ? `: ${describeHolder(holder)}` : ''}; gave up after ${Math.round(opts.waitMs / 1000)}s`,
          { hint: 'wait for it to finish, or raise --lock-wait', details: { holder } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}
