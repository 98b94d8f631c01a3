/**
 * The shape of a command module (src/commands/<area>/<action>.ts): an options type, a run()
 * that returns plain data (what tests assert and --json prints), and a renderer for people.
 * Area files (src/cli/areas/*.ts) declare the commander surface and load modules lazily so
 * `bookops --help` never pays for knex, pg or chalk.
 */
import { Command } from 'commander';
import { EXIT } from './exit-codes.js';
import type { Context } from './context.js';
import type { Output } from './output.js';

export interface CommandModule<O = any, R = any> {
  run(ctx: Context, opts: O): Promise<R>;
  render?(result: R, out: Output, opts: O): void;
  /** Exit code for a successful run (audit-like commands return FINDINGS). Default OK. */
  exitCode?(result: R, opts: O): number;
}

export interface RunState {
  ctx?: Context;
  exitCode: number;
  /** Builds the context from the parsed global options (loads output and colour code lazily). */
  createContext(globals: Record<string, unknown>): Promise<Context>;
}

export type Loader = () => Promise<CommandModule>;

/** An action handler: collects positional arguments by name and runs the module. */
export function runs(state: RunState, load: Loader, argNames: string[] = []) {
  return async (...actionArgs: unknown[]) => {
    const command = actionArgs[actionArgs.length - 1] as Command;
    const positional = actionArgs.slice(0, argNames.length);
    const opts: Record<string, unknown> = { ...command.opts() };
    argNames.forEach((name, i) => (opts[name] = positional[i]));
    // An explicit --connect-timeout (or BOOKOPS_CONNECT_TIMEOUT) beats connect_timeout in a URL and PGCONNECT_TIMEOUT.
    const explicitConnectTimeout = command.getOptionValueSourceWithGlobals('connectTimeout') !== 'default';
    const ctx = (state.ctx = await state.createContext({ ...command.optsWithGlobals(), explicitConnectTimeout }));
    const mod = await load();
    const result = await mod.run(ctx, opts);
    // Known before printing: a reader that closes the pipe early (`| head`) must not change it.
    state.exitCode = mod.exitCode ? mod.exitCode(result, opts) : EXIT.OK;
    // --quiet keeps results on stdout (a script still wants them); Output drops the chatter.
    if (ctx.flags.json) ctx.out.printJson(result);
    else mod.render?.(result, ctx.out, opts);
  };
}

/** Help text block listing examples, appended to a command's --help. */
export function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}
