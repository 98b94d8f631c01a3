/**
 * Runs that must not overlap (migrations, chat-room backfills) are serialised by a session
 * advisory lock held on a connection of its own for the whole run. It is polled with
 * pg_try_advisory_lock: a blocking pg_advisory_lock could wait forever, and a waiting session
 * can deadlock with a concurrent CREATE INDEX CONCURRENTLY (which waits for every transaction
 * that might see the table, including that wait).
 */
import pg from 'pg';
import { RefusedError } from '../errors.js';
import type { Target } from '../config/target.js';
import { connectClient, type SessionOptions } from './connect.js';
import { sql } from './sql.js';

/** A lock: two int4 keys (the first is always 'bkop') and how to name it in messages. */
export interface AdvisoryLockKey {
  key1: number;
  key2: number;
  /** e.g. "migration lock" */
  name: string;
  /** e.g. "migration run": "another <holderRun> holds the <name>" */
  holderRun: string;
}

/** Every bookops advisory lock, in one place so keys never collide. */
export const MIGRATION_LOCK: AdvisoryLockKey = { key1: 0x626b6f70, key2: 1, name: 'migration lock', holderRun: 'migration run' };
export const CHAT_BACKFILL_LOCK: AdvisoryLockKey = {
  key1: 0x626b6f70,
  key2: 2,
  name: 'chat backfill lock',
  holderRun: 'chat-room backfill',
};

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

export async function lockHolder(client: pg.Client, key: AdvisoryLockKey = MIGRATION_LOCK): Promise<LockHolder | undefined> {
  const { rows } = await client.query<LockHolder>(sql('locks/holder').text, [key.key1, key.key2]);
  return rows[0];
}

export function describeHolder(h: LockHolder): string {
  const who = `${h.user}${h.client_addr ? ` from ${h.client_addr}` : ''}`;
  const since = h.backend_start instanceof Date ? h.backend_start.toISOString() : String(h.backend_start);
  return `pid ${h.pid} (${h.application_name || 'unknown application'}, ${who}, connected since ${since})`;
}

export interface AcquireOptions {
  waitMs: number;
  pollMs?: number;
  onWait?: (holder: LockHolder | undefined) => void;
  /** The hint of the refusal; default: wait for it to finish, or raise --lock-wait. */
  hint?: string;
}

/** Takes `key` on a dedicated connection, polling until `waitMs`; refuses (exit 4) naming the holder. */
export async function acquireAdvisoryLock(
  target: Target,
  session: SessionOptions,
  key: AdvisoryLockKey,
  opts: AcquireOptions,
): Promise<HeldLock> {
  const { client } = await connectClient(target, session);
  const pollMs = opts.pollMs ?? 500;
  const deadline = Date.now() + opts.waitMs;
  let announced = false;
  try {
    for (;;) {
      const { rows } = await client.query<{ ok: boolean }>(sql('locks/try-lock').text, [key.key1, key.key2]);
      if (rows[0].ok) {
        return {
          release: async () => {
            await client.query(sql('locks/unlock').text, [key.key1, key.key2]).catch(() => undefined);
            await client.end().catch(() => undefined);
          },
        };
      }
      const holder = await lockHolder(client, key);
      if (!announced) {
        opts.onWait?.(holder);
        announced = true;
      }
      if (Date.now() >= deadline) {
        throw new RefusedError(
          `another ${key.holderRun} holds the ${key.name}${holder ? `: ${describeHolder(holder)}` : ''}; gave up after ${Math.round(opts.waitMs / 1000)}s`,
          { hint: opts.hint ?? 'wait for it to finish, or raise --lock-wait', details: { holder } },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

export async function acquireMigrationLock(
  target: Target,
  session: SessionOptions,
  opts: { waitMs: number; pollMs?: number; onWait?: (holder: LockHolder | undefined) => void },
): Promise<HeldLock> {
  return acquireAdvisoryLock(target, session, MIGRATION_LOCK, opts);
}
