// Benchmark helpers: a seeded template database per scale, fresh copies for destructive cases,
// and timing of a bookops command next to the raw SQL a DBA would type for the same result.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'bookops.js');

/** The admin URL: BENCH_DATABASE_URL, else the embedded cluster (started if needed). */
export function adminUrl() {
  if (process.env.BENCH_DATABASE_URL) return process.env.BENCH_DATABASE_URL;
  const r = spawnSync(process.execPath, [BIN, 'db', 'start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`cannot start the embedded cluster: ${r.stderr}`);
  const url = spawnSync(process.execPath, [BIN, 'db', 'url', '--database', 'postgres'], { encoding: 'utf8' }).stdout.trim();
  return url;
}

export function urlFor(admin, database) {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(admin, sql) {
  const client = new pg.Client({ connectionString: clientUrl(admin) });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** pg does not read passfile=; bookops does. For pg clients, resolve it through bookops. */
export function clientUrl(url) {
  if (!url.includes('passfile=')) return url;
  const r = spawnSync(process.execPath, ['-e', `
    import('${join(ROOT, 'dist', 'config', 'target.js')}').then(({ parseDatabaseUrl }) => {
      const t = parseDatabaseUrl(process.argv[1], 'flag');
      const u = new URL(process.argv[1]);
      u.search = '';
      u.password = encodeURIComponent(t.spec.password ?? '');
      process.stdout.write(u.toString());
    });`, url], { encoding: 'utf8' });
  return r.stdout;
}

export function bookops(args, opts = {}) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0 && !(opts.okCodes ?? [0]).includes(r.status)) {
    throw new Error(`bookops ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n').pop()}`);
  }
  return { ms, stdout: r.stdout, stderr: r.stderr, code: r.status };
}

/**
 * The raw side's one session per database, as a DBA's psql would be: every raw query of a bench
 * on a database goes through the same connection (opened once, not timed), so the raw column
 * pays no connection per query. Closed when its database is dropped, and at the end of the run.
 */
const sessions = new Map();

async function session(url) {
  let client = sessions.get(url);
  if (!client) {
    client = new pg.Client({ connectionString: clientUrl(url) });
    // A session dropped with its database (DROP … WITH (FORCE)) must not crash the bench.
    client.on('error', () => sessions.delete(url));
    await client.connect();
    sessions.set(url, client);
  }
  return client;
}

export async function closeSession(url) {
  const client = sessions.get(url);
  sessions.delete(url);
  if (client) await client.end().catch(() => undefined);
}

export async function closeSessions() {
  for (const url of [...sessions.keys()]) await closeSession(url);
}

/** Runs the raw SQL (a statement or a list, one after the other) in the database's session; its time. */
export async function timeSql(url, sql) {
  const client = await session(url);
  const started = process.hrtime.bigint();
  const statements = Array.isArray(sql) ? sql : [sql];
  let result;
  for (const s of statements) result = await client.query(s);
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

/** A seeded legacy database used as a template: created once per scale, copied per case. */
export async function template(admin, scale) {
  const name = `bookops_bench_tpl_${scale}`;
  const { rowCount } = await adminQuery(admin, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (!rowCount) {
    await adminQuery(admin, `CREATE DATABASE ${name}`);
    const url = urlFor(admin, name);
    try {
      bookops(['--db', url, 'migrate', 'up', '--to', '0001']);
      const seeded = bookops(['--db', url, '--json', '--statement-timeout', '2h', 'demo', 'seed', '--scale', String(scale)]);
      process.stderr.write(`seeded ${name} in ${(seeded.ms / 1000).toFixed(1)} s\n`);
      await timeSql(url, 'VACUUM ANALYZE');
      await closeSession(url);
    } catch (err) {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      throw err;
    }
  }
  return name;
}

/** A fresh copy of the template for a case that changes data. */
export async function copyOf(admin, tpl, label) {
  const name = `bookops_bench_${label}`.slice(0, 60);
  await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  // A template must have no session open (the raw side's, say).
  await closeSession(urlFor(admin, tpl));
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${tpl}`);
  const url = urlFor(admin, name);
  await timeSql(url, 'VACUUM ANALYZE');
  return {
    name,
    url,
    drop: async () => {
      await closeSession(url);
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** bookops over raw, as the tables print it. */
export function ratio(bookopsMs, rawMs) {
  return bookopsMs === undefined || rawMs === undefined || !(rawMs > 0) ? '–' : `${(bookopsMs / rawMs).toFixed(2)}x`;
}

export function fmt(ms) {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`;
}
