import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { duration, id, integer, many, nonEmpty } from '../parsers.js';

export function registerOutbox(program: Command, state: RunState): void {
  const outbox = program
    .command('outbox')
    .description('recruiting bot outbox_notifications: counts, duplicate keys, stuck and failed messages (seed 001)')
    .addHelpText('after', examples('bookops outbox stats', 'bookops outbox dedupe --dry-run', 'bookops outbox retry-failed'));

  outbox
    .command('stats')
    .description('rows per status and type, and how many duplicate keys, stuck and failed rows there are; read-only')
    .addOption(new Option('--locked-for <duration>', 'a pending row locked longer ago than this is stuck').argParser(duration).default(15 * 60_000, '15m'))
    .addOption(new Option('--pending-for <duration>', 'an unlocked pending row older than this is stuck').argParser(duration).default(60 * 60_000, '1h'))
    .addHelpText('after', examples('bookops outbox stats', 'bookops outbox stats --json'))
    .action(runs(state, () => import('../../commands/outbox/stats.js')));

  outbox
    .command('dedupe')
    .description(
      'keep one row per key (type, booking_id, candidate_tg_id), NULLs equal: a sent row, else a pending one, else a failed ' +
        'one, the oldest within a status; archive and delete the others',
    )
    .addOption(new Option('--batch-size <n>', 'rows per batch (one committed transaction each)').argParser(integer(1, 100_000)).default(5000))
    .addOption(new Option('--sample <n>', 'rows shown by --dry-run').argParser(integer(0, 10_000)).default(20))
    .addHelpText('after', examples('bookops outbox dedupe --dry-run', 'bookops outbox dedupe', 'bookops outbox dedupe --yes --json'))
    .action(runs(state, () => import('../../commands/outbox/dedupe.js')));

  outbox
    .command('requeue')
    .description(
      'put outbox rows back to pending (attempts reset, lock and retry time cleared): failed rows, and pending rows not ' +
        'locked or locked longer ago than --locked-for; refuses sent rows and rows a worker holds right now',
    )
    .argument('<id...>', 'outbox_notifications ids (see bookops audit outbox.stuck)', many(id))
    .addOption(new Option('--locked-for <duration>', 'a pending row locked longer ago than this may be requeued').argParser(duration).default(15 * 60_000, '15m'))
    .addHelpText(
      'after',
      examples('bookops outbox requeue 1042 --dry-run', 'bookops outbox requeue 1042 1043 1077', 'bookops outbox requeue 1042 --yes --json') +
        '\nExit codes: 0 requeued, 2 not a valid id, 4 not confirmed, 5 an id does not exist, 6 a row was sent or is being sent.\n',
    )
    .action(runs(state, () => import('../../commands/outbox/requeue.js'), ['ids']));

  outbox
    .command('retry-failed')
    .description('put every failed row with no retry scheduled ahead back to pending (audit check outbox.failed)')
    .option('--type <type>', 'only rows of this type (e.g. candidate_rejection)', nonEmpty)
    .addOption(new Option('--batch-size <n>', 'rows per batch (one committed transaction each)').argParser(integer(1, 100_000)).default(5000))
    .addOption(new Option('--sample <n>', 'rows shown by --dry-run').argParser(integer(0, 10_000)).default(20))
    .addHelpText(
      'after',
      examples('bookops outbox retry-failed --dry-run', 'bookops outbox retry-failed --type candidate_rejection', 'bookops outbox retry-failed --yes --json'),
    )
    .action(runs(state, () => import('../../commands/outbox/retry-failed.js')));
}
