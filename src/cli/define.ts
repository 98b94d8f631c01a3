/**
 * A command is one file: `export default command({ ... })` declares its arguments and options
 * (typed: `run` receives exactly what they parse to), its help, and the run and render that use
 * them. Nothing here loads the database or the domain: this module and the command list are all
 * `bookops --help` needs (src/cli/commands.ts loads a command's file only when it is named).
 */
import type { Command } from 'commander';
import type { Context } from '../io/context.js';
import type { Output } from '../io/output.js';
import type { Metric } from '../io/prometheus.js';
import type { TargetRun } from '../fleet/run.js';
import { shellLineAsInvoked } from '../invocation.js';

export type Parser<T> = (value: string, previous?: T) => T;

/** An option: `--reason <reason>`. `D` is true when it always has a value (a default, or required). */
export interface OptionSpec<T, D extends boolean = boolean> {
  readonly kind: 'option';
  readonly flags: string;
  readonly description: string;
  readonly parse?: Parser<T>;
  readonly default?: T;
  /** How --help shows the default (15m rather than 900000). */
  readonly defaultText?: string;
  /** An environment variable that sets it. */
  readonly env?: string;
  readonly required?: boolean;
  /** Phantom: whether the value is always there. */
  readonly _always?: D;
}

/** A positional argument: `<id>`, `<id...>`, `[check...]`. */
export interface ArgumentSpec<T, D extends boolean = boolean> {
  readonly kind: 'argument';
  readonly name: string;
  readonly description: string;
  readonly parse?: Parser<T>;
  readonly _always?: D;
}

export type InputSpec = OptionSpec<any, boolean> | ArgumentSpec<any, boolean>;

type ValueOf<S> =
  S extends OptionSpec<infer T, infer D> ? (D extends true ? T : T | undefined) : S extends ArgumentSpec<infer T, infer D> ? (D extends true ? T : T | undefined) : never;

/** What `run` receives: each declared argument and option under its key, typed by its parser. */
export type Input<S extends Record<string, InputSpec>> = { [K in keyof S]: ValueOf<S[K]> };

/** An option without a default: undefined unless given. */
export function option<T = string>(flags: string, description: string, parse?: Parser<T>): OptionSpec<T, false>;
/** An option with a default (shown in --help as `defaultText` when given). */
export function option<T>(flags: string, description: string, parse: Parser<T> | undefined, defaultValue: T, defaultText?: string): OptionSpec<T, true>;
export function option<T>(flags: string, description: string, parse?: Parser<T>, defaultValue?: T, defaultText?: string): OptionSpec<T, boolean> {
  return { kind: 'option', flags, description, parse, default: defaultValue, defaultText };
}

/** An option that must be given. */
export function requiredOption<T>(flags: string, description: string, parse: Parser<T>): OptionSpec<T, true> {
  return { kind: 'option', flags, description, parse, required: true };
}

/** An option set by an environment variable too (`BOOKOPS_CONFIG`). */
export function envOption<T = string>(flags: string, description: string, env: string, parse?: Parser<T>): OptionSpec<T, false> {
  return { kind: 'option', flags, description, parse, env };
}

/** A yes/no switch: true when given, else undefined (--help shows no default for it). */
export function flag(flags: string, description: string): OptionSpec<boolean, false> {
  return { kind: 'option', flags, description };
}

/** A required argument (`<id>`, `<id...>`). */
export function argument<T = string>(name: string, description: string, parse?: Parser<T>): ArgumentSpec<T, true> {
  return { kind: 'argument', name, description, parse };
}

/** An optional argument (`[check...]`). */
export function optionalArgument<T = string>(name: string, description: string, parse?: Parser<T>): ArgumentSpec<T, false> {
  return { kind: 'argument', name, description, parse };
}

export interface CommandDefinition<S extends Record<string, InputSpec> = Record<string, InputSpec>, R = unknown> {
  name: string;
  /** One line for --help (a top-level command takes the one of the command list). */
  description?: string;
  inputs: S;
  examples?: string[];
  /** More help after the examples: exit codes, the undo. */
  notes?: string;
  run(ctx: Context, input: Input<S>): Promise<R>;
  /**
   * The usage errors of the whole run, found before any target is asked (a run over several
   * would otherwise report a typo in one target's settings as that target's result, behind the
   * others' connection errors).
   */
  check?(ctx: Context, input: Input<S>): Promise<void>;
  /** For people; with --json the result is printed as it is instead. */
  render?(result: R, out: Output, input: Input<S>): void;
  /**
   * True (or true for these inputs) when the command only reads: it runs on a read-only hot
   * standby, and over several targets at once (--all-targets, --target a --target b; src/fleet).
   * Any other command refuses on a standby (exit 4) when it connects, and several targets (exit 2).
   */
  readOnly?: boolean | ((input: Input<S>) => boolean);
  /**
   * True for the commands that manage the embedded cluster itself (`db start|stop|status|url`):
   * they take no database of the run, so --db, --target and --all-targets are a usage error
   * rather than ignored (`--db … db stop` stopping the embedded cluster).
   */
  embeddedOnly?: boolean;
  /** Exit code of a successful run (audit-like commands return FINDINGS); default OK. */
  exitCode?(result: R, input: Input<S>): number;
  /** One line per target for the summary table of a run over several. */
  summary?(result: R, input: Input<S>): string;
  /** One target's Prometheus families (--format prometheus, --prometheus <file>); the target label is added for it. */
  metrics?(result: R, input: Input<S>): Metric[];
  /** Whole documents by --format name (markdown, junit), over the runs of one target or several. */
  documents?: Record<string, (runs: Array<TargetRun<R>>, input: Input<S>) => string>;
  /** Subcommands (`demo seed`); a word that names none is an unknown command. */
  subcommands?: Array<CommandDefinition<any, any>>;
  /** Commander details no spec covers (demo passing its --scale on to seed). */
  configure?(command: Command): void;
}

export function command<S extends Record<string, InputSpec>, R>(definition: CommandDefinition<S, R>): CommandDefinition<S, R> {
  return definition;
}

/** Help text block listing examples, appended to a command's --help; `bookops` as it was invoked, so they paste. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${shellLineAsInvoked(l)}`).join('\n')}\n`;
}
