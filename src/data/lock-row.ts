/**
 * A run lock that holds through a connection pooler. Behind PgBouncer in transaction pooling a
 * session advisory lock belongs to a server connection that other clients are lent next: they
 * "take" it again (advisory locks are re-entrant) and two migration runs go at once. So through a
 * pooler the lock is a row of bookops_run_locks: taken with one INSERT .. ON CONFLICT, kept alive
 * by a heartbeat, deleted on release. A run that is killed cannot delete it: its row is taken
 * over once its heartbeat is older than STALE_AFTER_S. The holder checks that the row is still
 * its own before each step (assertHeld), so a run whose heartbeat stalled that long stops instead
 * of overlapping with the one that took over.
 *
 * Each statement is one short step, never a transaction held for the run: with a pool of one
 * server connection, that would starve the run itself.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { Target } from '../config/target.js';
import { RefusedError } from '../errors.js';
import { connectClient, type SessionOptions } from './connect.js';
import { sql } from './sql.js';

/** A holder unseen this long is taken to be gone. Heartbeats come every HEARTBEAT_S. */
export const STALE_AFTER_S = 300;
const HEARTBEAT_S = 15;

export interface RowHolder {
  pid: number;
  user: string;
  host: string;
  acquired_at: Date;
  heartbeat_at: Date;
}

/** Runs fn on a connection for one short step. */
export type Connector = <T>(fn: (c: pg.Client) => Promise<T>) => Promise<T>;

/**
 * A connection of the command's own Knex pool when there is one (a session pool of one server
 * connection has no room for a second client), else a short connection of its own.
 */
export function connector(target: Target, session: SessionOptions, db?: Knex): Connector {
  if (db) {
    return async (fn) => {
      const conn = (await db.client.acquireConnection()) as pg.Client;
      try {
        return await fn(conn);
      } finally {
        await db.client.releaseConnection(conn);
      }
    };
  }
  return async (fn) => {
    const { client } = await connectClient(target, { ...session, settingsMode: 'set' });
    try {
      return await fn(client);
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

async function ensureTable(c: pg.Client): Promise<void> {
  const { rows } = await c.query<{ ok: boolean }>(sql('locks/row-table-exists').text);
  if (rows[0].ok) return;
  // Two first runs may create it at once: the loser's error (duplicate type or table) is harmless.
  await c.query(sql('locks/row-create-table').text).catch((err: { code?: string }) => {
    if (err.code !== '23505' && err.code !== '42P07') throw err;
  });
}

/** The live holder of the lock row (a run through a pooler, seen within STALE_AFTER_S), if any. */
export async function liveRowHolder(c: pg.Client, lockName: string): Promise<RowHolder | undefined> {
  const { rows } = await c.query<{ ok: boolean }>(sql('locks/row-table-exists').text);
  if (!rows[0].ok) return undefined;
  return (await c.query<RowHolder>(sql('locks/row-live-holder').text, [lockName, STALE_AFTER_S])).rows[0];
}

export interface RowLock {
  holder: string;
  /** True when the row was a killed run's (its heartbeat older than STALE_AFTER_S). */
  tookOver: boolean;
  release(): Promise<void>;
  /** Refuses (exit 4) when the row is no longer this run's. */
  assertHeld(): Promise<void>;
}

/** One attempt: the lock, or the present holder. */
export async function tryTakeRow(
  withClient: Connector,
  lockName: string,
): Promise<{ lock: RowLock } | { holder: RowHolder | undefined }> {
  const holder = randomUUID();
  const taken = await withClient(async (c) => {
    await ensureTable(c);
    const { rows } = await c.query<{ took_over: boolean }>(sql('locks/row-try-take').text, [lockName, holder, hostname(), process.pid, STALE_AFTER_S]);
    if (rows.length) return { tookOver: rows[0].took_over };
    return { holder: (await c.query<RowHolder>(sql('locks/row-holder').text, [lockName])).rows[0] };
  });
  if ('holder' in taken) return { holder: taken.holder };

  let lost = false;
  const beat = async () => {
    const { rowCount } = await withClient((c) => c.query(sql('locks/row-heartbeat').text, [lockName, holder]));
    if (!rowCount) lost = true;
  };
  // A heartbeat that fails (the pooler is busy, the network blinked) is tried again next time.
  const timer = setInterval(() => void beat().catch(() => undefined), HEARTBEAT_S * 1000);
  timer.unref();
  return {
    lock: {
      holder,
      tookOver: taken.tookOver,
      release: async () => {
        clearInterval(timer);
        await withClient((c) => c.query(sql('locks/row-release').text, [lockName, holder])).catch(() => undefined);
      },
      assertHeld: async () => {
        if (!lost) await beat();
        if (lost) {
          throw new RefusedError(`lost the ${lockName}: this run was not seen for ${STALE_AFTER_S}s and another run took the lock over`, {
            hint: 'nothing more was started; run again once the other run is done',
          });
        }
      },
    },
  };
}
