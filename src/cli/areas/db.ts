import type { Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { duration } from '../parsers.js';

export function registerDb(program: Command, state: RunState): void {
  const db = program
    .command('db')
    .description('manage the embedded PostgreSQL cluster (data in .bookops/ or BOOKOPS_HOME)')
    .addHelpText('after', examples('bookops db start', 'bookops db status --json', 'psql "$(bookops db url)"'));

  db.command('start')
    .description('initialise (first time) and start the embedded cluster on a free loopback port')
    .option('--timeout <duration>', 'give up when the server is not ready within this long', duration, 60_000)
    .addHelpText('after', examples('bookops db start', 'bookops db start --timeout 2min'))
    .action(runs(state, () => import('../../commands/db/start.js')));

  db.command('stop')
    .description('stop the embedded cluster (fast shutdown: open transactions roll back)')
    .option('--timeout <duration>', 'give up when the server has not stopped within this long', duration, 60_000)
    .addHelpText('after', examples('bookops db stop'))
    .action(runs(state, () => import('../../commands/db/stop.js')));

  db.command('status')
    .description('whether the embedded cluster is initialised and running, its port and version')
    .addHelpText('after', examples('bookops db status', 'bookops db status --json'))
    .action(runs(state, () => import('../../commands/db/status.js')));

  db.command('url')
    .description('print the connection URL of the embedded cluster (the password stays in a 0600 passfile)')
    .option('--database <name>', 'database name in the URL', 'bookops')
    .addHelpText('after', examples('bookops db url', 'psql "$(bookops db url)"', 'bookops --db "$(bookops db url)" audit'))
    .action(runs(state, () => import('../../commands/db/url.js')));
}
