import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { duration, integer } from '../parsers.js';

export function registerMigrate(program: Command, state: RunState): void {
  const migrate = program
    .command('migrate')
    .description('reviewable, online schema migrations (plain SQL files in migrations/)')
    .addHelpText(
      'after',
      examples('bookops migrate status', 'bookops migrate plan > plan.sql', 'bookops migrate up --to 0002', 'bookops migrate baseline'),
    );

  const dir = () =>
    new Option('--migrations-dir <path>', 'migrations folder (default: the migrations/ shipped with bookops)').env('BOOKOPS_MIGRATIONS_DIR');
  const lockWait = () =>
    new Option('--lock-wait <duration>', 'wait this long for another run to release the migration lock').argParser(duration).default(60_000, '60s');
  const retries = () =>
    new Option('--retries <n>', 'attempts per migration or statement when lock_timeout strikes').argParser(integer(1, 100)).default(8);
  const allowChanged = () => new Option('--allow-changed', 'run even though applied migrations were edited since');

  migrate
    .command('status')
    .description('list applied and pending migrations; flag applied ones whose file changed since (checksum)')
    .addOption(dir())
    .addHelpText('after', examples('bookops migrate status', 'bookops migrate status --json'))
    .action(runs(state, () => import('../../commands/migrate/status.js')));

  migrate
    .command('plan')
    .description('print the exact SQL `migrate up` would run against this database; changes nothing')
    .option('--to <migration>', 'stop after this migration (name or number)')
    .addOption(dir())
    .addHelpText('after', examples('bookops migrate plan', 'bookops migrate plan --to 0001 --json', 'bookops migrate plan | squawk'))
    .action(runs(state, () => import('../../commands/migrate/plan.js')));

  migrate
    .command('up')
    .description('apply pending migrations in order (--dry-run prints the plan instead)')
    .option('--to <migration>', 'stop after this migration (name or number)')
    .addOption(lockWait())
    .addOption(retries())
    .addOption(allowChanged())
    .addOption(dir())
    .addHelpText('after', examples('bookops migrate up', 'bookops migrate up --to 0001_legacy_baseline', 'bookops migrate up --dry-run'))
    .action(runs(state, () => import('../../commands/migrate/up.js')));

  migrate
    .command('down')
    .description('revert the newest migration, or every migration applied after --to (which stays applied)')
    .option('--to <migration>', 'revert down to this migration, keeping it')
    .addOption(lockWait())
    .addOption(retries())
    .addOption(allowChanged())
    .addOption(dir())
    .addHelpText('after', examples('bookops migrate down --dry-run', 'bookops migrate down --yes', 'bookops migrate down --to 0001 --yes'))
    .action(runs(state, () => import('../../commands/migrate/down.js')));

  migrate
    .command('baseline')
    .description('record the legacy baseline as applied on a database that already has the production tables')
    .addOption(lockWait())
    .addOption(dir())
    .addHelpText('after', examples('bookops --db "$PROD_URL" migrate baseline', 'bookops migrate baseline --json'))
    .action(runs(state, () => import('../../commands/migrate/baseline.js')));
}
