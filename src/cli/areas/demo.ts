import type { Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { MAX_SCALE, MIN_SCALE } from '../../demo/plan.js';
import { integer } from '../parsers.js';

export function registerDemo(program: Command, state: RunState): void {
  const demo = program
    .command('demo')
    .description(
      'zero-setup tour: on an empty database (the embedded cluster by default) create the legacy schema, ' +
        'seed demo data with every seed defect planted, and show what to try next; a second run shows it again',
    )
    .option('--scale <n>', 'rows per module main table when seeding (default 1000)', integer(MIN_SCALE, MAX_SCALE))
    .option('--reset', 'drop and recreate the demo database first (embedded cluster only; asks, or --yes)')
    .addHelpText(
      'after',
      examples('bookops demo', 'bookops demo --json', 'bookops demo --reset --yes --scale 20000', 'bookops --db postgres://me@localhost/empty_db demo'),
    )
    .action(runs(state, () => import('../../commands/demo/demo.js')));

  demo
    .command('seed')
    .description(
      'fill the four modules of a database with the baseline schema and empty tables: realistic data plus ' +
        'every seed defect planted, set-based, in one transaction; reports the planted counts by audit check id',
    )
    .option('--scale <n>', 'about this many rows in each module main table (1 to 10,000,000)', integer(MIN_SCALE, MAX_SCALE), 1000)
    .addHelpText(
      'after',
      examples(
        'bookops demo seed --db postgres://me@localhost/scratch --scale 50 --json',
        'bookops migrate up --to 0001 && bookops demo seed --scale 1000000',
      ),
    )
    .action(runs(state, () => import('../../commands/demo/seed.js')));
}
