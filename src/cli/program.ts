/**
 * The commander program: global options, help, and the commands of the one list (commands.ts).
 * Only the command named on the command line is loaded (its file, or its area's files); every
 * other entry is registered by name and description alone, so `bookops --help` stays light.
 */
import { Command, Option } from 'commander';
import { UsageError } from '../errors.js';
import { EXIT, EXIT_CODE_TABLE } from '../exit-codes.js';
import { resolve } from 'node:path';
import type { Context } from '../io/context.js';
import type { Output } from '../io/output.js';
import type { TargetRun } from '../fleet/run.js';
import { completionCommand } from './completion.js';
import { ENTRIES, type Entry } from './commands.js';
import { examples, type CommandDefinition, type InputSpec } from './define.js';

import { VERSION } from '../version.js';
import { choice, collect, duration, integer } from './parsers.js';

export { VERSION };

export interface RunState {
  ctx?: Context;
  exitCode: number;
  /** Ctrl-C or SIGTERM arrived (src/cli/main.ts): the run ends as interrupted, whatever it was doing. */
  interrupted?: NodeJS.Signals;
  /** The run's one document (result or error) is out: a late handler must not print a second. */
  printed?: boolean;
  /** Builds the context from the parsed global options (loads output and colour code lazily). */
  createContext(globals: Record<string, unknown>): Promise<Context>;
}

function globalOptions(program: Command): Command {
  return program
    .addOption(new Option('--db <url>', 'postgres:// URL or libpq "host=... dbname=..." string (default: DATABASE_URL, then PG* variables, then the embedded cluster)'))
    .addOption(new Option('--target <name>', 'a target of the config file\'s "targets" (repeatable: read-only commands run them in parallel)').argParser(collect))
    .addOption(new Option('--all-targets', 'every target of the config file (read-only commands)'))
    .addOption(new Option('--config <file>', 'JSON config: targets, audit settings (default: BOOKOPS_CONFIG, ./bookops.json, $XDG_CONFIG_HOME/bookops/config.json)'))
    .addOption(new Option('--parallel <n>', 'targets run at once by a read-only command over several').argParser(integer(1, 64)).default(4))
    .addOption(new Option('--target-timeout <duration>', 'give up on one target of a run over several after this long').argParser(duration).default(120_000, '2min'))
    .addOption(new Option('--json', 'print one JSON document on stdout; messages go to stderr'))
    .addOption(new Option('-q, --quiet', 'print results and errors only'))
    .addOption(new Option('-v, --verbose', 'show queries with timings, and stack traces on errors'))
    .addOption(new Option('--no-color', 'no colours (also NO_COLOR, TERM=dumb, or output not a terminal)'))
    .addOption(new Option('-y, --yes', 'confirm destructive actions without a prompt (required when not on a terminal)'))
    .addOption(new Option('--no-input', 'never prompt: what needs a confirmation refuses (exit 4) unless --yes, as without a terminal'))
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

/** The program, with the named entry loaded (argv's first command word), or every entry (`every`: shell completion). */
export async function buildProgram(state: RunState, argv: string[], every = false): Promise<Command> {
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
    if (every || entry === named) await registerEntry(program, entry, state);
    else program.command(entry.name).description(entry.description);
  }
  // Beside the list, like help: it reads the whole list, so it cannot be one of its entries.
  program.addCommand(completionCommand(() => buildProgram(state, [], true)));
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
    if (d.embeddedOnly) refuseTargets(commandPathOf(command), ctx);
    await ctx.checkNamedConfig();
    // One answer for both uses: a command that may write refuses on a hot standby, and takes one target.
    const readOnly = typeof d.readOnly === 'function' ? d.readOnly(input as never) : Boolean(d.readOnly);
    if (!readOnly) ctx.writer = commandPathOf(command);
    const exitCodeOf = (result: unknown) => (d.exitCode ? d.exitCode(result, input) : EXIT.OK);
    // A report format (prometheus, or a command's document); table and plain are the Output's own.
    const format = typeof input.format === 'string' && (input.format === 'prometheus' || d.documents?.[input.format]) ? input.format : undefined;
    const prometheusFile = typeof input.prometheus === 'string' ? resolve(input.prometheus) : undefined;
    if (!ctx.overSeveral && !format && !prometheusFile) {
      const result = await d.run(ctx, input);
      // A signal that came as the work finished still ends the run as interrupted (exit 130 / 143).
      ctx.checkInterrupted('the work had finished before it could be stopped');
      // Known before printing: a reader that closes the pipe early (`| head`) must not change it.
      state.exitCode = exitCodeOf(result);
      // --quiet keeps results on stdout (a script still wants them); Output drops the chatter.
      state.printed = true;
      if (ctx.flags.json) ctx.out.printJson(result);
      else d.render?.(result, ctx.out, input);
      return;
    }
    // Over several targets, or a report format: one report module for both (src/fleet/report.ts).
    const [{ runOverTargets, worstOf }, { checkRequest, report }, { textfileProblem }] = await Promise.all([
      import('../fleet/run.js'),
      import('../fleet/report.js'),
      import('../io/prometheus.js'),
    ]);
    const presenter = {
      render: d.render && ((r: unknown, out: Output) => d.render!(r, out, input)),
      summary: d.summary && ((r: unknown) => d.summary!(r, input)),
      metrics: d.metrics && ((r: unknown) => d.metrics!(r, input)),
      documents: Object.fromEntries(Object.entries(d.documents ?? {}).map(([name, doc]) => [name, (runs: Array<TargetRun<unknown>>) => doc(runs, input)])),
    };
    const request = { several: ctx.overSeveral, json: ctx.flags.json, format, prometheusFile };
    checkRequest(presenter, request);
    // Asked before any database work, so a typo in the path costs no query.
    const problem = prometheusFile && (await textfileProblem(prometheusFile));
    if (problem) throw new UsageError(`cannot write ${prometheusFile}: ${problem}`, { hint: 'the directory must exist and be writable by this user' });
    await d.check?.(ctx, input);
    let runs: Array<TargetRun<unknown>>;
    if (ctx.overSeveral) {
      if (!readOnly) {
        throw new UsageError(`${commandPathOf(command)} changes the database: it takes exactly one target (--target <name>), not several`);
      }
      runs = await runOverTargets(ctx, (await ctx.namedTargets())!, {
        parallel: ctx.flags.parallel,
        timeoutMs: ctx.flags.targetTimeoutMs,
        run: (child) => d.run(child, input),
        exitCode: exitCodeOf,
      });
      // Ctrl-C or SIGTERM reached every target's run (their contexts read this one's signal).
      ctx.checkInterrupted("every target's run was stopped; no further check was started");
    } else {
      const started = performance.now();
      const result = await d.run(ctx, input);
      const address = (await ctx.target()).label;
      runs = [{ target: await ctx.targetName(), address, exitCode: exitCodeOf(result), result, seconds: Math.round(performance.now() - started) / 1000 }];
    }
    // A signal that came as the work finished still ends the run as interrupted (exit 130 / 143).
    ctx.checkInterrupted('the work had finished before it could be stopped');
    state.exitCode = worstOf(runs);
    state.printed = true;
    await report(runs, presenter, request, ctx.out);
  };
}

/** A command that manages the embedded cluster, given another database of the run: a usage error, not ignored. */
function refuseTargets(path: string, ctx: Context): void {
  const given = [ctx.flags.db !== undefined && '--db', ctx.flags.target?.length && '--target', ctx.flags.allTargets && '--all-targets'].filter(Boolean);
  if (given.length) {
    throw new UsageError(`${path} takes no ${given.join(' or ')}: the db commands manage the embedded cluster only`);
  }
}

/** `slots release`: the command's words after bookops. */
function commandPathOf(command: Command): string {
  const words: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) words.unshift(c.name());
  return words.join(' ');
}

function allCommands(root: Command): Command[] {
  return root.commands.flatMap((c) => [c, ...allCommands(c)]);
}
