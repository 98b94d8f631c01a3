import type { Knex } from 'knex';

/**
 * Starts many concurrent workers at the same moment: each worker first gets its connection
 * (and opens its transaction), then waits at the barrier; the last one to arrive releases all.
 */
export interface Barrier {
  /** Called by each worker when it is ready; resolves when all `parties` are. */
  arrive(): Promise<void>;
}

export function barrier(parties: number): Barrier {
  let arrived = 0;
  let release!: () => void;
  const open = new Promise<void>((resolve) => (release = resolve));
  return {
    arrive() {
      arrived += 1;
      if (arrived === parties) release();
      return open;
    },
  };
}

/** Outcome of one concurrent worker: its value, or the error it threw. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function settleAll<T>(workers: Promise<T>[]): Promise<Settled<T>[]> {
  const results = await Promise.allSettled(workers);
  return results.map((r) => (r.status === 'fulfilled' ? { ok: true, value: r.value } : { ok: false, error: r.reason }));
}

/**
 * Runs fn `parties` times at once, each in its own transaction on its own connection of `pool`
 * (whose pool must hold that many): every transaction is open before the barrier lets them go.
 */
export function raceIn<T>(
  pool: { transaction<R>(fn: (trx: Knex.Transaction) => Promise<R>): Promise<R> },
  parties: number,
  fn: (trx: Knex.Transaction, i: number) => Promise<T>,
): Promise<Settled<T>[]> {
  const gate = barrier(parties);
  return settleAll(
    Array.from({ length: parties }, (_, i) =>
      pool.transaction(async (trx) => {
        await trx.raw('SELECT 1');
        await gate.arrive();
        return fn(trx, i);
      }),
    ),
  );
}
