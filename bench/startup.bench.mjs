// CLI start-up: `bookops --help` next to `node -e 0` (heavy modules load lazily: src/cli/commands.ts).
// Interleaved, so both sides see the same load.
import { spawnSync } from 'node:child_process';
import { bookops, median } from './lib.mjs';

export const name = 'startup';
export const title = 'Start-up';
/** Does not depend on the data: run once whatever the scales. */
export const scaleFree = true;

function nodeAlone() {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0']);
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

export async function run({ repeat }) {
  const n = Math.max(11, repeat);
  const node = [];
  const help = [];
  const migrateHelp = [];
  for (let i = 0; i < n; i++) {
    node.push(nodeAlone());
    help.push(bookops(['--help']).ms);
    migrateHelp.push(bookops(['migrate', 'up', '--help']).ms);
  }
  return [
    { what: '`bookops --help` vs `node -e 0`', bookops: median(help), sql: median(node), notes: `${n} runs each, interleaved` },
    { what: '`bookops migrate up --help` vs `node -e 0`', bookops: median(migrateHelp), sql: median(node) },
  ];
}
