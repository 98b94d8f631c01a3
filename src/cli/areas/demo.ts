import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { examples, runs, type RunState } from '../command.js';
import { MAX_SCALE, MIN_SCALE } from '../../demo/plan.js';
import { integer } from '../parsers.js';

export function registerDemo(program: Command, state: RunState): void {
  const runDemo = runs(state, () => import('../../commands/demo/demo.js'));
  const demo = program
    .command('demo')
    .description(
      'zero-setup tour on the embedded cluster (or an empty --db): the legacy schema, demo data with every seed ' +
        'defect planted, and what to try next; a second run shows it again',
    )
    .option('--scale <n>', 'rows per module main table when seeding (default 1000)', integer(MIN_SCALE, MAX_SCALE))
    .option('--reset', 'drop and recreate the demo database first (embedded cluster only; asks, or --yes)')
    .addHelpText(
      'after',
      examples('bookops demo', 'bookops demo --json', 'bookops demo --reset --yes --scale 20000', 'bookops --db postgres://me@localhost/empty_db demo'),
    )
    // `bookops demo sed` would otherwise read "too many arguments for 'demo'".
    .allowExcessArguments()
    .action(async (...args: unknown[]) => {
      const extra = (args[args.length - 1] as Command).args;
      if (extra.length) throw new UsageError(`unknown command 'demo ${extra[0]}' (demo has one subcommand: seed)`);
      return runDemo(...args);
    })
    // demo and demo seed both take --scale, and commander hands the options after `demo seed`
    // to demo first (global options must keep working after the subcommand): pass it on.
    .hook('preSubcommand', (parent, sub) => {
      if (parent.getOptionValueSource('scale') !== 'cli') return;
      sub.setOptionValueWithSource('scale', parent.getOptionValue('scale'), 'cli');
      parent.setOptionValueWithSource('scale', undefined, 'default');
    });

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
