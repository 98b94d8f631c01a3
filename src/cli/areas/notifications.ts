import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { id, integer } from '../parsers.js';

export function registerNotifications(program: Command, state: RunState): void {
  const notifications = program
    .command('notifications')
    .description('recruiting bot notification logs: clean the stale ones that silence the next candidate (seed 002)')
    .addHelpText('after', examples('bookops notifications clean-stale --dry-run', 'bookops notifications clean-stale --slot 412'));

  notifications
    .command('clean-stale')
    .description(
      'archive and delete notification logs of freed slots, or not naming the slot\'s candidate (audit check notifications.stale-logs); ' +
        'reads the candidate from the column after migration 0004, from the JSON payload before it',
    )
    .option('--slot <id>', 'only the logs of this slot', id)
    .addOption(new Option('--batch-size <n>', 'rows per batch (one committed transaction each)').argParser(integer(1, 100_000)).default(5000))
    .addOption(new Option('--sample <n>', 'rows shown by --dry-run').argParser(integer(0, 10_000)).default(20))
    .addHelpText(
      'after',
      examples(
        'bookops notifications clean-stale --dry-run',
        'bookops notifications clean-stale --slot 412',
        'bookops notifications clean-stale --yes --json --batch-size 10000',
      ) + '\nUndo: bookops archive restore <operation> (printed at the end, and in --json as archiveOperation).\n',
    )
    .action(runs(state, () => import('../../commands/notifications/clean-stale.js')));
}
