import { Option, type Command } from 'commander';
import { examples, runs, type RunState } from '../command.js';
import { choice, collect, integer } from '../parsers.js';

export function registerAudit(program: Command, state: RunState): void {
  program
    .command('audit')
    .description('read-only checks of the platform tables and schema; exit 1 when findings reach --fail-on')
    .argument('[check...]', 'check ids, modules or groups to run (default: all; see --list)')
    .addOption(
      new Option('--fail-on <severity>', 'lowest severity that makes the exit code 1 (default: error)').argParser(choice('warn', 'error')),
    )
    .option('--threshold <check.name=value>', 'override a threshold, e.g. outbox.stuck.locked-for=15m, or chats.missing.min-count=5 (a finding only from 5 up; repeatable)', collect)
    .addOption(new Option('--config <file>', 'JSON settings: failOn, sample, skip, thresholds (see docs/OPERATIONS.md)').env('BOOKOPS_CONFIG'))
    .option('--skip <check>', 'do not run this check, module or group (repeatable)', collect)
    .addOption(new Option('--sample <n>', 'offending rows kept per check (default: 10)').argParser(integer(1, 1000)))
    .option('--list', 'list the checks, their severities and thresholds; needs no database')
    .addOption(
      new Option('--migrations-dir <path>', 'migrations folder for the schema checks (default: the one shipped with bookops)').env(
        'BOOKOPS_MIGRATIONS_DIR',
      ),
    )
    .addHelpText(
      'after',
      examples(
        'bookops audit',
        'bookops audit recruiting outbox.stuck --json',
        'bookops audit --fail-on warn --threshold outbox.stuck.locked-for=30m',
        'bookops audit --config /etc/bookops.json --quiet || page-oncall',
        'bookops audit --list',
      ) + '\nExit codes: 0 healthy, 1 findings at or above --fail-on (or no check could run), 2 usage, 3 connection, 7 a check query failed.\n',
    )
    .action(runs(state, () => import('../../commands/audit/run.js'), ['checks']));
}
