/**
 * Runs that must not overlap (migrations, chat-room backfills) are serialised by a run lock. On a
 * session of our own (a direct connection) it is a session advisory lock held on a connection of
 * its own for the whole run; through a pooler (the connection carries its settings
 * transaction-locally, connect.ts) the session is shared, so it is a lock row instead
 * (lock-row.ts). Every other lock bookops takes is transaction-scoped (pg_advisory_xact_lock,
 * row locks) and holds in any pooling mode. The advisory lock is polled with
 * pg_try_advisory_lock: a blocking pg_advisory_lock could wait forever, and a waiting session
 * can deadlock with a concurrent CREATE INDEX CONCURRENTLY (which waits for every transaction
 * that might see the table, including that wait).
 */
import type { Knex } from 'knex';
import pg from 'pg';
import { RefusedError } from '../errors.js';
import type { Target } from '../config/target.js';
import { connectClient, settingsModeOf, type SessionOptions } from './connect.js';
import { connector, liveRowHolder, STALE_AFTER_S, tryTakeRow, type RowHolder } from './lock-row.js';
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
  /** Refuses (exit 4) when the lock is no longer this run's (a lock row taken over as stale). */
  assertHeld(): Promise<void>;
}

export async function lockHolder(client: pg.Client, key: AdvisoryLockKey = MIGRATION_LOCK): Promise<LockHolder | undefined> {
  const { rows } = await client.query<LockHolder>(sql('locks/holder').text, [key.key1, key.key2]);
  return rows[0];
}

export function describeHolder(h: LockHolder | RowHolder): string {
  if ('host' in h) {
    const seen = h.heartbeat_at instanceof Date ? h.heartbeat_at.toISOString() : String(h.heartbeat_at);
    return `bookops pid ${h.pid} on ${h.host} (as ${h.user}), last seen ${seen}; a run unseen for ${STALE_AFTER_S}s is taken to be gone`;
  }
  const who = `${h.user}${h.client_addr ? ` from ${h.client_addr}` : ''}`;
  const since = h.backend_start instanceof Date ? h.backend_start.toISOString() : String(h.backend_start);
  return `pid ${h.pid} (${h.application_name || 'unknown application'}, ${who}, connected since ${since})`;
}

export interface AcquireOptions {
  waitMs: number;
  pollMs?: number;
  onWait?: (holder: LockHolder | RowHolder | undefined) => void;
  /** The hint of the refusal; default: wait for it to finish, or raise --lock-wait. */
  hint?: string;
  /** The command's Knex: through a pooler, the lock row's statements use its connections. */
  db?: Knex;
}

/** Takes `key` on a dedicated connection, polling until `waitMs`; refuses (exit 4) naming the holder. */
export async function acquireAdvisoryLock(
  target: Target,
  session: SessionOptions,
  key: AdvisoryLockKey,
  opts: AcquireOptions,
): Promise<HeldLock> {
  // Through a pooler, no second connection: a session pool of one has no room for it.
  if (opts.db && settingsModeOf(opts.db) === 'set') return acquireLockRow(target, session, key, opts);
  const { client, mode } = await connectClient(target, session);
  if (mode === 'set') {
    await client.end().catch(() => undefined);
    return acquireLockRow(target, session, key, opts);
  }
  try {
    return await pollForLock(key, opts, async () => {
      const { rows } = await client.query<{ ok: boolean }>(sql('locks/try-lock').text, [key.key1, key.key2]);
      if (!rows[0].ok) return { holder: await lockHolder(client, key) };
      // A run through a pooler holds the lock as a row: taken, then checked, as that run does
      // the other way round, so of two runs at once at least one sees the other.
      const holder = await liveRowHolder(client, key.name);
      if (!holder) {
        return {
          lock: {
            release: async () => {
              await client.query(sql('locks/unlock').text, [key.key1, key.key2]).catch(() => undefined);
              await client.end().catch(() => undefined);
            },
            assertHeld: async () => undefined,
          },
        };
      }
      await client.query(sql('locks/unlock').text, [key.key1, key.key2]);
      return { holder };
    });
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/** The same wait and refusal, on a lock row (through a pooler). */
async function acquireLockRow(target: Target, session: SessionOptions, key: AdvisoryLockKey, opts: AcquireOptions): Promise<HeldLock> {
  const withClient = connector(target, session, opts.db);
  return pollForLock(key, opts, async () => {
    const taken = await tryTakeRow(withClient, key.name);
    if (!('lock' in taken)) return taken;
    // A run on a direct connection holds it as a session advisory lock (see above).
    const holder = await withClient((c) => lockHolder(c, key));
    if (!holder) return taken;
    await taken.lock.release();
    return { holder };
  });
}

/**
 * Tries `attempt` until it returns the lock: the first time it does not, says who holds it
 * (onWait); at `waitMs` refuses (exit 4) naming the holder; in between, waits `pollMs`.
 */
async function pollForLock(
  key: AdvisoryLockKey,
  opts: AcquireOptions,
  attempt: () => Promise<{ lock: HeldLock } | { holder: LockHolder | RowHolder | undefined }>,
): Promise<HeldLock> {
  const pollMs = opts.pollMs ?? 500;
  const deadline = Date.now() + opts.waitMs;
  let announced = false;
  for (;;) {
    const tried = await attempt();
    if ('lock' in tried) return tried.lock;
    const { holder } = tried;
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
}

export async function acquireMigrationLock(
  target: Target,
  session: SessionOptions,
  opts: { waitMs: number; pollMs?: number; onWait?: (holder: LockHolder | RowHolder | undefined) => void; db?: Knex },
): Promise<HeldLock> {
  return acquireAdvisoryLock(target, session, MIGRATION_LOCK, opts);
}
