/**
 * The commander program: global options, help, and the one explicit list of command areas.
 * Nothing heavy is imported here; command modules load when their action runs.
 */
import { Command, Option } from 'commander';
import { registerAreas } from './areas/index.js';
import { EXIT_CODE_TABLE } from './exit-codes.js';
import { examples, type RunState } from './command.js';
import { duration, choice } from './parsers.js';

export const VERSION = '0.1.0';

export function buildProgram(state: RunState): Command {
  const program = new Command('bookops')
    .description('Keep the PostgreSQL databases of the booking platform healthy: audit, repair, migrate, support.')
    .version(VERSION, '-V, --version')
    .addOption(new Option('--db <url>', 'postgres:// URL or libpq "host=... dbname=..." string (default: DATABASE_URL, then PG* variables, then the embedded cluster)'))
    .addOption(new Option('--json', 'print one JSON document on stdout; messages go to stderr'))
    .addOption(new Option('-q, --quiet', 'print results and errors only'))
    .addOption(new Option('-v, --verbose', 'show queries with timings, and stack traces on errors'))
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR, TERM=dumb, or output not a terminal)'))
    .addOption(new Option('-y, --yes', 'confirm destructive actions without a prompt (required when not on a terminal)'))
    .addOption(new Option('--dry-run', 'show what would change and change nothing'))
    .addOption(
      new Option('--lock-timeout <duration>', 'lock_timeout of every session')
        .env('BOOKOPS_LOCK_TIMEOUT')
        .argParser(duration)
        .default(1000, '1s'),
    )
    .addOption(
      new Option('--statement-timeout <duration>', 'statement_timeout of every session')
        .env('BOOKOPS_STATEMENT_TIMEOUT')
        .argParser(duration)
        .default(300_000, '5min'),
    )
    .addOption(
      new Option('--connect-timeout <duration>', 'give up connecting after this long')
        .env('BOOKOPS_CONNECT_TIMEOUT')
        .argParser(duration)
        .default(5000, '5s'),
    )
    .addOption(
      new Option('--session-settings <mode>', 'send timeouts as start-up parameters, with SET, or auto-detect (poolers)')
        .env('BOOKOPS_SESSION_SETTINGS')
        .argParser(choice('auto', 'startup', 'set'))
        .default('auto'),
    )
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // The top-level handler prints commander's errors as our one-line errors.
      outputError: () => undefined,
    })
    .exitOverride();

  program.addHelpText(
    'after',
    examples('bookops demo', 'bookops migrate plan', 'bookops --db postgres://app@db.internal:5432/booking migrate status --json') +
      `\nExit codes:\n${EXIT_CODE_TABLE.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`).join('\n')}\n`,
  );

  registerAreas(program, state);
  for (const command of allCommands(program)) command.exitOverride().configureOutput(program.configureOutput());
  return program;
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}
