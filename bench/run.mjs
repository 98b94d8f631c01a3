#!/usr/bin/env node
// npm run bench -- [--scale N] [--only name,name] [--repeat R]
// Runs every bench/*.bench.mjs at the given scale and prints a Markdown table per bench, the
// bookops command next to the raw SQL a DBA would type, for docs/BENCHMARKS.md.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, adminUrl, fmt, template } from './lib.mjs';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
}

const scale = Number(arg('scale', '10000'));
const repeat = Number(arg('repeat', '3'));
const only = arg('only', '')
  .split(',')
  .filter(Boolean);

const admin = adminUrl();
// Seeded once per scale on first use, then copied by the cases that change data.
let seeded;
const tpl = () => (seeded ??= template(admin, scale));
const files = readdirSync(join(ROOT, 'bench')).filter((f) => f.endsWith('.bench.mjs')).sort();
const header = `scale ${scale}, ${repeat} run(s) each, median; PostgreSQL ${process.env.BENCH_DATABASE_URL ? 'from BENCH_DATABASE_URL' : 'embedded'}`;
console.log(`<!-- npm run bench -- --scale ${scale} --repeat ${repeat} -->\n${header}\n`);
for (const file of files) {
  const bench = await import(join(ROOT, 'bench', file));
  if (only.length && !only.includes(bench.name)) continue;
  process.stderr.write(`bench ${bench.name}...\n`);
  const rows = await bench.run({ admin, tpl, scale, repeat });
  console.log(`### ${bench.title}\n`);
  console.log('| what | bookops | raw SQL | notes |\n|---|---:|---:|---|');
  for (const row of rows) console.log(`| ${row.what} | ${row.bookops === undefined ? '–' : fmt(row.bookops)} | ${row.sql === undefined ? '–' : fmt(row.sql)} | ${row.notes ?? ''} |`);
  console.log('');
}
