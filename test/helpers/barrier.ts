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
