#!/usr/bin/env node
// npm run bench -- [--scale N[,N...]] [--only name,name] [--repeat R]   (BENCH_DATABASE_URL: a server of yours, else the embedded cluster)
// Runs every bench/*.bench.mjs at the given scale and prints a Markdown table per bench, the
// bookops command next to the raw SQL a DBA would type, for docs/BENCHMARKS.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ROOT, adminQuery, adminUrl, closeSessions, fmt, ratio, template } from './lib.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const scales = arg('scale', '10000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n > 0);
if (scales.length === 0) throw new Error('--scale takes one or more row counts, e.g. --scale 100000,1000000');
const repeat = Number(arg('repeat', '3'));
const only = arg('only', '')
  .split(',')
  .filter(Boolean);

const admin = adminUrl();
const server = (await adminQuery(admin, 'SHOW server_version')).rows[0].server_version;
const files = readdirSync(join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.mjs')).sort();
const where = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'the embedded cluster';
console.log(`<!-- npm run bench -- --scale ${scales.join(',')} --repeat ${repeat}${only.length ? ` --only ${only.join(',')}` : ''} -->`);
console.log(`PostgreSQL ${server} (${where}); ${repeat} run(s) each, median; load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
try {
  for (const scale of scales) {
    // Seeded once per scale on first use, then copied by the cases that change data.
    let seeded;
    const tpl = () => (seeded ??= template(admin, scale));
    for (const file of files) {
      const bench = await import(join(ROOT, 'bench', file));
      if (only.length && !only.includes(bench.name)) continue;
      // Start-up does not depend on the data: once per run.
      if (bench.scaleFree && scale !== scales[0]) continue;
      process.stderr.write(`bench ${bench.name} at ${scale}...\n`);
      const started = Date.now();
      const rows = await bench.run({ admin, tpl, scale, repeat });
      console.log(`### ${bench.title}${bench.scaleFree ? '' : `, scale ${scale}`}\n`);
      console.log('| what | bookops | raw SQL | ratio | notes |\n|---|---:|---:|---:|---|');
      for (const row of rows) {
        console.log(`| ${row.what} | ${row.bookops === undefined ? '–' : fmt(row.bookops)} | ${row.sql === undefined ? '–' : fmt(row.sql)} | ${ratio(row.bookops, row.sql)} | ${row.notes ?? ''} |`);
      }
      console.log(`\n(${((Date.now() - started) / 1000).toFixed(0)} s; load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
    }
  }
} finally {
  await closeSessions();
}
