/**
 * The top-level handler: parses, runs, and owns the exit code. Every error becomes one line on
 * stderr (plus the stack with --verbose) and a code from the exit-code table; with --json a
 * JSON error document is printed on stdout too, so a script always gets one document.
 */
import { CommanderError, type Command } from 'commander';
import { BookopsError, exitCodeOfSignal, InterruptedError } from '../errors.js';
import { redactSecrets } from '../config/redact.js';
import { EXIT } from '../exit-codes.js';
import { helpAsInvoked, shellWord } from '../invocation.js';
import type { GlobalFlags } from '../io/context.js';
import { safeText } from '../io/safe-text.js';
import type { RunState } from './program.js';

export async function main(argv: string[]): Promise<number> {
  const state: RunState = {
    exitCode: EXIT.OK,
    // Loaded only when a command runs: `bookops --help` must not pay for chalk or cli-table3.
    createContext: async (globals) => {
      const [{ Context, DEFAULT_FLAGS }, { Output }] = await Promise.all([import('../io/context.js'), import('../io/output.js')]);
      const flags: GlobalFlags = { ...DEFAULT_FLAGS, ...pickFlags(globals) };
      // Stored with archived operations and shown by `archive show`: never with a password, and
      // quoted as the hints are, so a word with spaces (a phone number) reads back as one word.
      return new Context(flags, new Output(flags), ['bookops', ...argv.map((arg) => shellWord(redactSecrets(arg)))].join(' '));
    },
  };
  const { buildProgram, helpAsFlag } = await import('./program.js');
  const program = await buildProgram(state, argv);
  const stopSignals = handleSignals(state);
  quietOnClosedPipe(state);
  try {
    await program.parseAsync(helpAsFlag(program, argv), { from: 'user' });
    return state.exitCode;
  } catch (err) {
    return await report(err, state, program, argv);
  } finally {
    stopSignals();
    await state.ctx?.close();
  }
}

function pickFlags(g: Record<string, unknown>): Partial<GlobalFlags> {
  return {
    db: g.db as string | undefined,
    config: g.config as string | undefined,
    target: g.target as string[] | undefined,
    allTargets: Boolean(g.allTargets),
    parallel: g.parallel as number,
    targetTimeoutMs: g.targetTimeout as number,
    json: Boolean(g.json),
    quiet: Boolean(g.quiet),
    verbose: Boolean(g.verbose),
    color: g.color !== false,
    yes: Boolean(g.yes),
    input: g.input !== false,
    dryRun: Boolean(g.dryRun),
    lockTimeoutMs: g.lockTimeout as number,
    statementTimeoutMs: g.statementTimeout as number,
    connectTimeoutMs: g.connectTimeout as number,
    connectTimeoutExplicit: Boolean(g.explicitConnectTimeout),
    sessionSettings: g.sessionSettings as GlobalFlags['sessionSettings'],
    format: g.format as string | undefined,
  };
}

async function report(err: unknown, state: RunState, program: Command, argv: string[]): Promise<number> {
  if (err instanceof CommanderError) return (state.exitCode = commanderExit(err, program, argv));
  const { translatePgError } = await import('../data/pg-errors.js');
  const ctx = state.ctx;
  const error = interrupted(translatePgError(promptError(err)), state);
  const verbose = ctx?.flags.verbose ?? argv.some((a) => a === '--verbose' || a === '-v');
  const json = ctx?.flags.json ?? argv.includes('--json');
  let code: number = EXIT.INTERNAL;
  let message: string;
  let hint: string | undefined;
  let kind = 'internal';
  if (error instanceof BookopsError) {
    code = error.exitCode;
    message = error.message;
    hint = error.hint;
    kind = error.code;
  } else {
    message = `internal error: ${(error as Error)?.message ?? String(error)}${verbose ? '' : ' (rerun with --verbose for details)'}`;
  }
  state.exitCode = code;
  state.printed = true;
  const line = hint ? `${message} (${hint})` : message;
  process.stderr.write(`bookops: ${safeText(redactSecrets(oneLine(line)))}\n`);
  if (verbose && error instanceof Error && error.stack) {
    const cause = (error as { cause?: Error }).cause;
    process.stderr.write(safeText(redactSecrets(cause?.stack ?? error.stack)) + '\n');
  }
  if (json) {
    const details = error instanceof BookopsError ? error.details : undefined;
    process.stdout.write(
      JSON.stringify({ error: { code: kind, exitCode: code, message: redactSecrets(message), hint, ...details } }, null, 2) +
        '\n',
    );
  }
  return code;
}

function commanderExit(err: CommanderError, program: Command, argv: string[]): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.OK;
  // A group command run without an action (e.g. `bookops migrate`) printed its help to stderr;
  // with --json, stdout still carries its one document.
  if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') {
    if (argv.includes('--json')) {
      const path = ['bookops', ...commandPath(program, argv)].join(' ');
      const error = { code: 'usage', exitCode: EXIT.USAGE, message: `${path} needs a command`, hint: `see ${helpAsInvoked(commandPath(program, argv).join(' '))}` };
      process.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
    }
    return EXIT.USAGE;
  }
  const message = usageMessage(err.message);
  const help = helpAsInvoked(commandPath(program, argv).join(' '));
  process.stderr.write(`bookops: ${redactSecrets(message)} (see ${help})\n`);
  if (argv.includes('--json')) {
    const error = { code: 'usage', exitCode: EXIT.USAGE, message: redactSecrets(message), hint: `see ${help}` };
    process.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
  }
  return EXIT.USAGE;
}

/**
 * commander's wording, made one plain line that names the option (or argument) and the value
 * once, the parser's reason after it: "option '--scale <n>': '-1' must be between …",
 * "argument <id>: 'abc' is not a positive whole number". A long value is cut.
 */
function usageMessage(text: string): string {
  const line = oneLine(text.replace(/^error:\s*/i, ''));
  const value = (v: string) => `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  const invalid = /^(.*?) argument '(.*)' is invalid\. (.*)$/.exec(line);
  if (invalid) return `${invalid[1]}: ${value(invalid[2])} ${invalid[3].replace(/\.$/, '')}`;
  const argument = /^command-argument value '(.*)' is invalid for argument '(.*?)'\. (.*)$/.exec(line);
  if (argument) return `argument <${argument[2]}>: ${value(argument[1])} ${argument[3].replace(/\.$/, '')}`;
  return line.replace(/\s*\(Did you mean (.+?)\?\)/, '; did you mean $1?');
}

/** The subcommands named on the command line, for "see bookops <them> --help". */
function commandPath(program: Command, argv: string[]): string[] {
  const path: string[] = [];
  let current = program;
  const chain = [program];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (word === '--') break;
    // An option's value is not a command (`--target demo audit` is the audit, not demo).
    if (word.startsWith('-') && !word.includes('=')) {
      const option = chain.flatMap((c) => c.options).find((o) => o.long === word || o.short === word);
      if (option && (option.required || option.optional) && !argv[i + 1]?.startsWith('-')) i++;
      continue;
    }
    const sub = word.startsWith('-') ? undefined : current.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) {
      path.push(sub.name());
      current = sub;
      chain.push(sub);
    }
  }
  return path;
}

/** @inquirer/prompts throws ExitPromptError on Ctrl-C while a prompt is open. */
function promptError(err: unknown): unknown {
  if (err instanceof Error && err.name === 'ExitPromptError') return new InterruptedError('interrupted at a prompt; nothing was changed');
  return err;
}

/** After Ctrl-C, whatever the run died of (the cancelled statement's 57014, say) is the interruption. */
function interrupted(error: unknown, state: RunState): unknown {
  if (!state.interrupted || error instanceof InterruptedError) return error;
  return new InterruptedError(`interrupted by ${state.interrupted}; the statement in progress was cancelled and its transaction rolled back`, {
    signal: state.interrupted,
  });
}

function oneLine(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

/**
 * `bookops ... | head` closes stdout early: stop quietly instead of dying on an EPIPE stack,
 * with the exit code the run already decided (results are printed after the work and its
 * commits, and after the code is known), so `set -o pipefail` still sees findings and errors.
 */
function quietOnClosedPipe(state: RunState): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(state.exitCode);
      throw err;
    });
  }
}

/** How long a run has, after Ctrl-C or SIGTERM, to end by itself before it is stopped anyway. */
const GRACE_MS = 1000;

/**
 * Ctrl-C or SIGTERM: nothing new starts (ctx.checkInterrupted), and the server is asked to cancel
 * the statement in progress on every connection (src/data/cancel.ts), so even a statement waiting
 * on a lock ends now and its transaction rolls back. The run then ends through report(), saying
 * what stays committed; if it has not within a second, it is stopped here. Exit 130 for SIGINT,
 * 143 for SIGTERM; with --json one error document either way. A command that set ctx.onStop (serve)
 * stops itself instead, cleanly (exit 0). A second Ctrl-C exits at once.
 */
function handleSignals(state: RunState): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    const code = exitCodeOfSignal(signal);
    if (state.interrupted) return stopNow(state, signal, code);
    state.interrupted = signal;
    // A long-running command (serve) stops itself: it closes what it opened and ends with exit 0.
    if (state.ctx?.onStop) return state.ctx.onStop(signal);
    if (state.ctx) state.ctx.interruptedBy = signal;
    process.stderr.write(`\nbookops: ${signal}: stopping; cancelling the statement in progress (Ctrl-C again quits at once)\n`);
    void import('../data/cancel.js').then((m) => m.cancelRunning()).catch(() => undefined);
    setTimeout(() => stopNow(state, signal, code), GRACE_MS).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/** Exits with the signal's code, printing the run's one document first if it is not out yet. */
function stopNow(state: RunState, signal: NodeJS.Signals, code: number): never {
  if (!state.printed) {
    state.printed = true;
    const op = state.ctx?.archiveOperation;
    const message =
      `interrupted by ${signal}; the transaction in progress is rolled back by the server` +
      (op === undefined ? '' : `; what was committed before is in archive operation ${op}`);
    const hint = op === undefined ? undefined : `undo with: bookops archive restore ${op}`;
    process.stderr.write(`bookops: ${message}${hint ? ` (${hint})` : ''}\n`);
    if (state.ctx?.flags.json ?? process.argv.includes('--json')) {
      const error = { code: 'interrupted', exitCode: code, message, hint, signal, ...(op === undefined ? {} : { archiveOperation: op }) };
      process.stdout.write(JSON.stringify({ error }, null, 2) + '\n');
    }
  }
  process.exit(code);
}
