import type { Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { integer, operationId } from '../parsers.js';

export function registerArchive(program: Command, state: RunState): void {
  const archive = program
    .command('archive')
    .description('what destructive commands removed or changed, and the undo (restore)')
    .addHelpText('after', examples('bookops archive list', 'bookops archive show 12', 'bookops archive restore 12'));

  archive
    .command('list')
    .description('archived operations, newest first: action, command line, user, time, rows, restored')
    .option('--limit <n>', 'how many operations', integer(1, 10_000), 20)
    .addHelpText('after', examples('bookops archive list', 'bookops archive list --limit 100 --json'))
    .action(runs(state, () => import('../../commands/archive/list.js')));

  archive
    .command('show')
    .description('one operation: rows per table and the first archived rows')
    .argument('<operation>', 'operation id (from archive list)', operationId)
    .option('--rows <n>', 'how many archived rows to show', integer(0, 10_000), 10)
    .addHelpText('after', examples('bookops archive show 12', 'bookops archive show 12 --rows 100 --json'))
    .action(runs(state, () => import('../../commands/archive/show.js'), ['operation']));

  archive
    .command('restore')
    .description('put back exactly what an operation removed or changed, in one transaction')
    .argument('<operation>', 'operation id (from archive list)', operationId)
    .addHelpText('after', examples('bookops archive restore 12 --dry-run', 'bookops archive restore 12', 'bookops archive restore 12 --yes --json'))
    .action(runs(state, () => import('../../commands/archive/restore.js'), ['operation']));
}
