import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { choice, duration, integer } from '../parsers.js';

export function registerChats(program: Command, state: RunState): void {
  const chats = program
    .command('chats')
    .description('chat rooms of the lessons platform: verify the trigger and rooms, backfill, metrics')
    .addHelpText('after', examples('bookops chats verify', 'bookops chats verify --backfill', 'bookops chats metrics --prometheus /var/lib/node_exporter/textfile/bookops_chat.prom'));

  chats
    .command('verify')
    .description('check the chat trigger and functions and that every active booking has its room (exit 1 if not); --backfill creates the missing rooms')
    .option('--check-only', 'only report (the default)')
    .option('--backfill', 'create the missing rooms in committed batches; resumable, serialised, never a duplicate (--dry-run: show them)')
    .addOption(new Option('--batch-size <n>', 'planned bookings per batch (one short transaction each)').argParser(integer(1, 1_000_000)).default(1000))
    .addOption(new Option('--pause <duration>', 'sleep between batches, to spare replicas and the application').argParser(duration))
    .addOption(new Option('--lock-wait <duration>', 'wait this long for another backfill to finish before refusing (exit 4)').argParser(duration).default(30_000, '30s'))
    .addOption(new Option('--sample <n>', 'pairs shown per finding').argParser(integer(1, 1000)).default(10))
    .addOption(
      new Option('--migrations-dir <path>', 'migrations folder the objects are compared with (default: the one shipped with bookops)').env(
        'BOOKOPS_MIGRATIONS_DIR',
      ),
    )
    .addHelpText(
      'after',
      examples(
        'bookops chats verify',
        'bookops chats verify --json | jq .missing',
        'bookops chats verify --backfill --dry-run',
        'bookops chats verify --backfill --batch-size 5000 --pause 100ms',
      ) + '\nExit codes: 0 all good, 1 something is missing, wrong or not checkable (a table absent), 4 backfill refused (an object missing, disabled or different, a table absent, lock held).\n',
    )
    .action(runs(state, () => import('../../commands/chats/verify.js')));

  chats
    .command('metrics')
    .description('rooms created today and the lag from booking activation (or lesson end) to room creation')
    .addOption(new Option('--since <event>', 'measure the lag from').argParser(choice('activation', 'lesson-end')).default('activation'))
    .addOption(new Option('--window <duration>', 'measure rooms created within this window').argParser(duration).default(7 * 86_400_000, '7d'))
    .addOption(new Option('--lag-threshold <duration>', 'count rooms created later than this').argParser(duration).default(3_600_000, '1h'))
    .option('--prometheus <file>', 'write the metrics atomically to this .prom file (node_exporter textfile collector)')
    .addOption(new Option('--format <format>', 'stdout format').argParser(choice('table', 'prometheus')).default('table'))
    .addHelpText(
      'after',
      examples(
        'bookops chats metrics',
        'bookops chats metrics --since lesson-end --json',
        'bookops chats metrics --format prometheus',
        'bookops chats metrics --quiet --prometheus /var/lib/node_exporter/textfile/bookops_chat.prom',
      ) + '\nExit codes: 0 collected (and written), 2 usage or the --prometheus file cannot be written, 4 a table it reads is absent.\n',
    )
    .action(runs(state, () => import('../../commands/chats/metrics.js')));
}
