// CLI start-up: `bookops --help` must stay well under 200 ms (heavy modules load lazily).
import { spawnSync } from 'node:child_process';
import { bookops, median } from './lib.mjs';

export const name = 'startup';
export const title = 'Start-up';

export async function run({ repeat }) {
  const times = (fn) => median(Array.from({ length: Math.max(5, repeat) }, fn));
  const node = times(() => {
    const t0 = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '']);
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  const help = times(() => bookops(['--help']).ms);
  const migrateHelp = times(() => bookops(['migrate', 'up', '--help']).ms);
  return [
    { what: '`bookops --help`', bookops: help, notes: `node alone: ${node.toFixed(0)} ms` },
    { what: '`bookops migrate up --help`', bookops: migrateHelp },
  ];
}
