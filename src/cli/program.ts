/**
 * The commander program: global options, help, and the commands of the one list (commands.ts).
 * Only the command named on the command line is loaded (its file, or its area's files); every
 * other entry is registered by name and description alone, so `bookops --help` stays light.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT, EXIT_CODE_TABLE } from '../exit-codes.js';
import type { Context } from '../io/context.js';
import { ENTRIES, type Entry } from './commands.js';
import { examples, type CommandDefinition, type InputSpec } from './define.js';
import { choice, duration } from './parsers.js';

export const VERSION = '0.1.0';

export interface RunState {
  ctx?: Context;
  exitCode: number;
  /** Builds the context from the parsed global options (loads output and colour code lazily). */
  createContext(globals: Record<string, unknown>): Promise<Context>;
}

function globalOptions(program: Command): Command {
  return program
    .addOption(new Option('--db <url>', 'postgres:// URL or libpq "host=... dbname=..." string (default: DATABASE_URL, then PG* variables, then the embedded cluster)'))
    .addOption(new Option('--json', 'print one JSON document on stdout; messages go to stderr'))
    .addOption(new Option('-q, --quiet', 'print results and errors only'))
    .addOption(new Option('-v, --verbose', 'show queries with timings, and stack traces on errors'))
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR, TERM=dumb, or output not a terminal)'))
    .addOption(new Option('-y, --yes', 'confirm destructive actions without a prompt (required when not on a terminal)'))
    .addOption(new Option('--dry-run', 'show what would change and change nothing'))
    .addOption(new Option('--lock-timeout <duration>', 'lock_timeout of every session').env('BOOKOPS_LOCK_TIMEOUT').argParser(duration).default(1000, '1s'))
    .addOption(
      new Option('--statement-timeout <duration>', 'statement_timeout of every session').env('BOOKOPS_STATEMENT_TIMEOUT').argParser(duration).default(300_000, '5min'),
    )
    .addOption(new Option('--connect-timeout <duration>', 'give up connecting after this long').env('BOOKOPS_CONNECT_TIMEOUT').argParser(duration).default(5000, '5s'))
    .addOption(
      new Option('--session-settings <mode>', 'send timeouts as start-up parameters, transaction-locally in every transaction (set: for poolers), or auto-detect')
        .env('BOOKOPS_SESSION_SETTINGS')
        .argParser(choice('auto', 'startup', 'set'))
        .default('auto'),
    );
}

/** The program, with the named entry loaded (argv's first command word). */
export async function buildProgram(state: RunState, argv: string[]): Promise<Command> {
  const program = globalOptions(new Command('bookops'))
    .description('Keep the PostgreSQL databases of the booking platform healthy: audit, repair, migrate, support.')
    .version(VERSION, '-V, --version')
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true })
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
  const named = namedEntry(program, argv);
  for (const entry of ENTRIES) {
    if (entry === named) await registerEntry(program, entry, state);
    else program.command(entry.name).description(entry.description);
  }
  for (const c of allCommands(program)) c.exitOverride().configureOutput(program.configureOutput()).configureHelp({ showGlobalOptions: true });
  return program;
}

/** Every command of the list, loaded (completion and tests of the whole surface). */
export async function loadAll(): Promise<Array<{ entry: Entry; commands: CommandDefinition<any, any>[] }>> {
  return Promise.all(ENTRIES.map(async (entry) => ({ entry, commands: await definitionsOf(entry) })));
}

async function definitionsOf(entry: Entry): Promise<CommandDefinition<any, any>[]> {
  if (entry.command) return [(await entry.command()).default];
  return (await Promise.all(entry.commands!())).map((m) => m.default);
}

/** Where argv's first word is that is not a global option or an option's value (-1: none). */
function firstWord(program: Command, argv: string[], from = 0): number {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
  for (let i = from; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') return -1;
    if (!word.startsWith('-')) return i;
    if (takesValue.has(word)) i++;
  }
  return -1;
}

/** The entry argv names (`help x` names x). */
function namedEntry(program: Command, argv: string[]): Entry | undefined {
  let at = firstWord(program, argv);
  if (at >= 0 && argv[at] === 'help') at = firstWord(program, argv, at + 1);
  return at < 0 ? undefined : ENTRIES.find((e) => e.name === argv[at]);
}

/**
 * `bookops help slots release` and `bookops slots help release` as `bookops slots release
 * --help` (commander's help command reads one word, and exits as if no command was given); a
 * name that is no command is left for commander to refuse in one line.
 */
export function helpAsFlag(program: Command, argv: string[]): string[] {
  let level = program;
  for (let at = firstWord(program, argv); at >= 0; at = firstWord(program, argv, at + 1)) {
    if (argv[at] === 'help') {
      const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
      for (const word of argv.slice(at + 1).filter((w) => !w.startsWith('-'))) {
        const next = level.commands.find((c) => c.name() === word);
        if (!next) return rest;
        level = next;
      }
      return [...rest, '--help'];
    }
    const next = level.commands.find((c) => c.name() === argv[at]);
    if (!next) return argv;
    level = next;
  }
  return argv;
}

async function registerEntry(program: Command, entry: Entry, state: RunState): Promise<void> {
  const definitions = await definitionsOf(entry);
  if (entry.command) {
    const cmd = program.command(entry.name);
    define(cmd, { ...definitions[0], description: definitions[0].description ?? entry.description }, state);
    return;
  }
  const area = program.command(entry.name).description(entry.description);
  if (entry.help) area.addHelpText('after', entry.help);
  for (const d of definitions) define(area.command(d.name), d, state);
}

/** A definition as a commander command: its arguments, options, help and action. */
function define(cmd: Command, d: CommandDefinition<any, any>, state: RunState): void {
  cmd.description(d.description ?? '');
  const args: string[] = [];
  for (const [key, spec] of Object.entries(d.inputs as Record<string, InputSpec>)) {
    if (spec.kind === 'argument') {
      cmd.argument(spec.name, spec.description, spec.parse as never);
      args.push(key);
      continue;
    }
    const opt = new Option(spec.flags, spec.description);
    if (spec.parse) opt.argParser(spec.parse as never);
    if (spec.default !== undefined) opt.default(spec.default, spec.defaultText);
    if (spec.env) opt.env(spec.env);
    if (spec.required) opt.makeOptionMandatory(true);
    // The key names the value where run reads it; commander's own name comes from the flags.
    (opt as Option & { bookopsKey?: string }).bookopsKey = key;
    cmd.addOption(opt);
  }
  const help = (d.examples?.length ? examples(...d.examples) : '') + (d.notes ? `\n${d.notes}\n` : '');
  if (help) cmd.addHelpText('after', help);
  for (const sub of d.subcommands ?? []) define(cmd.command(sub.name), sub, state);
  // `bookops demo sed` would otherwise read "too many arguments for 'demo'".
  if (d.subcommands?.length) cmd.allowExcessArguments();
  d.configure?.(cmd);
  cmd.action(runs(state, d, args));
}

/** The action: the arguments and options under their keys, then run, exit code, and output. */
function runs(state: RunState, d: CommandDefinition<any, any>, argKeys: string[]) {
  return async (...actionArgs: unknown[]) => {
    const command = actionArgs[actionArgs.length - 1] as Command;
    if (d.subcommands?.length && command.args.length) {
      throw new UsageError(`unknown command '${d.name} ${command.args[0]}' (${d.name} has: ${d.subcommands.map((s) => s.name).join(', ')})`);
    }
    const input: Record<string, unknown> = {};
    argKeys.forEach((key, i) => (input[key] = actionArgs[i]));
    for (const opt of command.options as Array<Option & { bookopsKey?: string }>) {
      if (opt.bookopsKey) input[opt.bookopsKey] = command.getOptionValue(opt.attributeName());
    }
    // An explicit --connect-timeout (or BOOKOPS_CONNECT_TIMEOUT) beats connect_timeout in a URL and PGCONNECT_TIMEOUT.
    const explicitConnectTimeout = command.getOptionValueSourceWithGlobals('connectTimeout') !== 'default';
    const ctx = (state.ctx = await state.createContext({ ...command.optsWithGlobals(), explicitConnectTimeout }));
    const readOnly = typeof d.readOnly === 'function' ? d.readOnly(input as never) : Boolean(d.readOnly);
    if (!readOnly) ctx.writer = [command.parent?.parent ? command.parent.name() : undefined, command.name()].filter(Boolean).join(' ');
    const result = await d.run(ctx, input);
    // Known before printing: a reader that closes the pipe early (`| head`) must not change it.
    state.exitCode = d.exitCode ? d.exitCode(result, input) : EXIT.OK;
    // --quiet keeps results on stdout (a script still wants them); Output drops the chatter.
    if (ctx.flags.json) ctx.out.printJson(result);
    else d.render?.(result, ctx.out, input);
  };
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}
