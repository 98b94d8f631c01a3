import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { choice, duration, id, integer, tgId } from '../parsers.js';

export function registerInterviews(program: Command, state: RunState): void {
  const interviews = program
    .command('interviews')
    .description('interview bot support: rebook a slot after a cancel, clean cancelled interviews that block rebooking (seed 000)')
    .addHelpText('after', examples('bookops interviews rebook --slot 193 --user 5512345678', 'bookops interviews clean-cancelled --dry-run'));

  interviews
    .command('rebook')
    .description(
      'book a time slot for a user after a cancel, through the booking rule: under the legacy UNIQUE (time_slot_id) the ' +
        "slot's cancelled interviews are archived and deleted first; after migration 0002 they stay as history",
    )
    .requiredOption('--slot <id>', 'time slot id (time_slots.id)', id)
    .requiredOption('--user <tg id>', "the user's Telegram id (interviews.bot_user_id)", tgId)
    .addOption(new Option('--status <status>', 'status of the new interview').argParser(choice('confirmed', 'pending')).default('confirmed'))
    .addHelpText(
      'after',
      examples(
        'bookops interviews rebook --slot 193 --user 5512345678 --dry-run',
        'bookops interviews rebook --slot 193 --user 5512345678',
        'bookops interviews rebook --slot 193 --user 5512345678 --yes --json',
      ) + '\nExit codes: 0 booked, 2 not a valid id, 4 not confirmed, 5 no such time slot, 6 an active interview holds the slot.\n',
    )
    .action(runs(state, () => import('../../commands/interviews/rebook.js')));

  interviews
    .command('clean-cancelled')
    .description(
      'archive and delete the cancelled interviews that block rebooking their slot under the legacy UNIQUE (time_slot_id) ' +
        '(audit check interviews.cancelled-blocking); on a migrated database nothing blocks, and nothing is changed',
    )
    .option('--slot <id>', 'only this time slot', id)
    .option('--older-than <duration>', 'only interviews cancelled longer ago than this (e.g. 30d)', duration)
    .addOption(new Option('--batch-size <n>', 'rows per batch (one committed transaction each)').argParser(integer(1, 100_000)).default(5000))
    .addOption(new Option('--sample <n>', 'rows shown by --dry-run').argParser(integer(0, 10_000)).default(20))
    .addHelpText(
      'after',
      examples(
        'bookops interviews clean-cancelled --dry-run',
        'bookops interviews clean-cancelled --slot 193',
        'bookops interviews clean-cancelled --older-than 30d --yes --json',
      ) + '\nUndo: bookops archive restore <operation> (printed at the end, and in --json as archiveOperation).\n',
    )
    .action(runs(state, () => import('../../commands/interviews/clean-cancelled.js')));
}
