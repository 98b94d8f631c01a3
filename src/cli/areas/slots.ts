import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { choice, id, integer, many, tgId } from '../parsers.js';

const sample = () => new Option('--sample <n>', 'rows shown per table by --dry-run').argParser(integer(0, 10_000)).default(20);

export function registerSlots(program: Command, state: RunState): void {
  const slots = program
    .command('slots')
    .description('recruiting bot support: release or reassign a slot, resolve double bookings (seed 002)')
    .addHelpText(
      'after',
      examples('bookops slots release 412', 'bookops slots reassign 412 --candidate 5512345678', 'bookops slots resolve-duplicates --dry-run'),
    );

  slots
    .command('release')
    .description(
      'free a slot through the reject rule: its notification logs and reminder jobs, and the earlier outbox messages of ' +
        'the candidate who held it (an approval not sent yet never is), are archived away, and that candidate is told once ' +
        '(candidate_reschedule, or candidate_rejection with --reason reject)',
    )
    .argument('<id>', 'slot id (slots.id)', id)
    .addOption(new Option('--reason <reason>', 'what the candidate is told').argParser(choice('reschedule', 'reject')).default('reschedule'))
    .addOption(sample())
    .addHelpText(
      'after',
      examples('bookops slots release 412 --dry-run', 'bookops slots release 412', 'bookops slots release 412 --reason reject --yes --json') +
        '\nExit codes: 0 released (or nothing to do), 2 not a valid id, 4 not confirmed, 5 no such slot, 6 the slot changed (holder or status) since it was shown.\n',
    )
    .action(runs(state, () => import('../../commands/slots/release.js'), ['slot']));

  slots
    .command('reassign')
    .description(
      'give a slot to a candidate through the reject / reserve / approve rules: the previous holder is told, stale logs ' +
        'and reminder jobs go, the new candidate gets the approval, a log and reminders; if they already hold it, the ' +
        'approval runs again: sent if it never was (the re-notification a stale log silenced, seed 002), not twice',
    )
    .argument('<id>', 'slot id (slots.id)', id)
    .requiredOption('--candidate <tg id>', "the new candidate's Telegram id", tgId)
    .option('--name <full name>', "the new candidate's name (slots.candidate_fio)")
    .addOption(sample())
    .addHelpText(
      'after',
      examples(
        'bookops slots reassign 412 --candidate 5512345678 --dry-run',
        'bookops slots reassign 412 --candidate 5512345678 --name "Иван Петров"',
        'bookops slots reassign 412 --candidate 5512345678 --yes --json',
      ) + '\nExit codes: 0 done (or nothing to do), 2 not a valid id, 4 not confirmed, 5 no such slot, 6 the candidate holds another slot of the recruiter, the slot is canceled, or it changed since it was shown.\n',
    )
    .action(runs(state, () => import('../../commands/slots/reassign.js'), ['slot']));

  slots
    .command('resolve-duplicates')
    .description(
      'for candidates holding several active slots of one recruiter, keep one and release the others through the reject ' +
        'rule; on a terminal you pick per candidate, else the rule: most advanced status (confirmed_by_candidate, booked, ' +
        'pending), then earliest start, then lowest id',
    )
    .option('--keep <slot...>', 'keep these slots (one per candidate); the other candidates are asked or follow the rule', many(id))
    .option('--by-rule', 'follow the rule for every candidate without asking')
    .addOption(new Option('--batch-size <n>', 'candidates per committed transaction').argParser(integer(1, 10_000)).default(50))
    .addHelpText(
      'after',
      examples(
        'bookops slots resolve-duplicates --dry-run',
        'bookops slots resolve-duplicates',
        'bookops slots resolve-duplicates --keep 412 --keep 977',
        'bookops slots resolve-duplicates --by-rule --yes --json',
      ),
    )
    .action(runs(state, () => import('../../commands/slots/resolve-duplicates.js')));
}
