/**
 * `bookops serve` (built binary) over three targets (demo defects, clean, unreachable), scraped
 * by a real Prometheus: bookops_up read back through Prometheus' API; concurrent scrapes share one
 * collection, and a scrape within --min-interval gets the last one; sessions are named
 * bookops-serve; SIGTERM stops it with exit 0. `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cleanEnv } from '../fixtures/cli.js';
import { adminQuery } from '../fixtures/db.js';
import { promtoolCheck, startPrometheus, type PrometheusServer } from '../fixtures/prometheus.js';
import { threeTargets, type ThreeTargets } from '../fixtures/targets.js';

let t: ThreeTargets;
let serve: ChildProcess;
let stderr = '';
let address: string;
let exited: Promise<number | null>;
let prometheus: PrometheusServer | undefined;

const valuesOf = (text: string, name: string) =>
  Object.fromEntries([...text.matchAll(new RegExp(`^${name}\\{target="([^"]+)"\\} (\\S+)$`, 'gm'))].map((m) => [m[1], Number(m[2])]));

/** Waits until `predicate` holds (polling), or fails saying what it waited for. */
async function until<T>(what: string, probe: () => Promise<T>, predicate: (v: T) => boolean, tries = 600): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < tries; i++) {
    last = await probe();
    if (predicate(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what}: still ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  t = await threeTargets('serve');
  serve = spawn(
    process.execPath,
    [BIN, '--config', t.config, '--lock-timeout', '60s', 'serve', '--listen', '127.0.0.1:0', '--min-interval', '10m', '--scrape-timeout', '60s'],
    { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  serve.stderr!.on('data', (d) => (stderr += d));
  exited = new Promise((resolve) => serve.on('exit', (code) => resolve(code)));
  address = (await until('serve listening', async () => /http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(stderr)?.[1], Boolean))!;
}, 600_000);

afterAll(async () => {
  await prometheus?.stop();
  if (serve.exitCode === null) serve.kill('SIGKILL');
  await t?.cleanup();
});

describe('bookops serve', () => {
  it('/healthz answers', async () => {
    const res = await fetch(`http://${address}/healthz`);
    expect([res.status, await res.text()]).toEqual([200, 'ok\n']);
  });

  it('concurrent scrapes share one collection, in sessions named bookops-serve; the next scrape gets it again', async () => {
    // Holds the demo's slots so the collection waits there, while the scrapes arrive.
    const holder = new pg.Client({ connectionString: t.demo.url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE slots IN ACCESS EXCLUSIVE MODE');
      const scrapes = [0, 1, 2, 3].map(() => fetch(`http://${address}/metrics`).then((r) => r.text()));
      // Asked from another session: within the holder's transaction pg_stat_activity is one snapshot.
      const waiting = await until(
        'a bookops-serve session waiting on the lock',
        async () =>
          (await adminQuery(`SELECT application_name FROM pg_stat_activity WHERE datname = '${t.demo.name}' AND wait_event_type = 'Lock'`)).rows,
        (rows) => rows.length > 0,
      );
      expect(waiting.map((r) => r.application_name)).toEqual(['bookops-serve']);
      await holder.query('COMMIT');
      const bodies = await Promise.all(scrapes);
      expect(new Set(bodies).size).toBe(1);
      expect(valuesOf(bodies[0], 'bookops_collections_total')).toEqual({ demo: 1, clean: 1, down: 1 });
      expect(valuesOf(bodies[0], 'bookops_up')).toEqual({ demo: 1, clean: 1, down: 0 });
      expect(await promtoolCheck(bodies[0])).toEqual({ code: 0, output: '' });
      // Within --min-interval: the same collection, not a new one.
      expect(await (await fetch(`http://${address}/metrics`)).text()).toBe(bodies[0]);
      expect(bodies[0]).toMatch(/^bookops_audit_findings\{target="demo",check="recruiting\.double-booking",module="recruiting",severity="error"\} [1-9]/m);
      expect(bodies[0]).toMatch(/^bookops_chat_missing_pairs\{target="clean"\} 0$/m);
    } finally {
      await holder.end();
    }
  });

  it('a real Prometheus scrapes it; bookops_up per target comes back through its API', async () => {
    prometheus = await startPrometheus(address);
    const up = await until(
      'bookops_up of three targets in Prometheus',
      () => prometheus!.query('bookops_up'),
      (r) => r.length === 3,
    );
    expect(Object.fromEntries(up.map((s) => [s.metric.target, s.value]))).toEqual({ demo: 1, clean: 1, down: 0 });
    expect(up.every((s) => s.metric.job === 'bookops' && s.metric.instance === address)).toBe(true);
    const scrape = await prometheus.query('up{job="bookops"}');
    expect(scrape.map((s) => s.value)).toEqual([1]);
  });

  it('SIGTERM during a collection held up by a lock: the collection is given up at once, exit 0', async () => {
    // A second exporter of the demo alone: its first scrape collects, and the demo's slots are locked.
    const holder = new pg.Client({ connectionString: t.demo.url });
    await holder.connect();
    let second: ChildProcess | undefined;
    try {
      await holder.query('BEGIN; LOCK TABLE slots IN ACCESS EXCLUSIVE MODE');
      let err = '';
      second = spawn(process.execPath, [BIN, '--config', t.config, '--target', 'demo', '--lock-timeout', '60s', 'serve', '--listen', '127.0.0.1:0', '--scrape-timeout', '60s'], {
        env: cleanEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      second.stderr!.on('data', (d) => (err += d));
      const stopped = new Promise<number | null>((resolve) => second!.on('exit', (code) => resolve(code)));
      const at = (await until('second serve listening', async () => /http:\/\/(127\.0\.0\.1:\d+)\/metrics/.exec(err)?.[1], Boolean))!;
      void fetch(`http://${at}/metrics`).catch(() => undefined);
      // Its check waits on the holder's lock (a 60 s lock timeout: it would wait that long, check after check).
      await until(
        'a bookops-serve session waiting on the lock',
        // Asked outside the holder's transaction, which sees pg_stat_activity as it was when it began.
        async () => (await adminQuery(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'bookops-serve' AND wait_event_type = 'Lock'`)).rows[0].n,
        (n) => n > 0,
      );
      second.kill('SIGTERM');
      expect(await stopped).toBe(0);
      // It stopped while the lock was still held: it neither waited for the lock nor started another check.
      expect((await holder.query(`SELECT count(*)::int AS n FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'AccessExclusiveLock' AND granted`)).rows[0].n).toBe(1);
      expect(err).toMatch(/bookops serve: SIGTERM, stopping/);
      expect(err).toMatch(/warning: demo: stopped$/m);
      expect(err).not.toMatch(/Error|at .*\.js:\d+/);
    } finally {
      if (second && second.exitCode === null) second.kill('SIGKILL');
      await holder.end();
    }
  });

  it('SIGTERM stops it cleanly: exit 0', async () => {
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/bookops serve: SIGTERM, stopping/);
    expect(stderr).not.toMatch(/Error|at .*\.js:\d+/);
  });
});
