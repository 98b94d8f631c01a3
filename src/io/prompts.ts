/**
 * Every prompt goes through here. Prompts render on stderr (stdout stays for results), every
 * prompt has a flag that answers it (--yes, or the command's own option), and without a
 * terminal (or with --no-input) a destructive action refuses instead of waiting for input nobody
 * will type. Under TERM=dumb (Emacs shells, some serial consoles) a prompt is a plain question
 * and a typed line: no cursor movement, no redrawing.
 * Tests drive the real prompts by passing their own input/output streams (PromptIO).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { RefusedError } from '../errors.js';
import type { Context } from './context.js';
import { safeText } from './safe-text.js';

export interface PromptIO {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

let ioOverride: { io: PromptIO; interactive: boolean } | undefined;

/** For tests: route prompts through these streams and treat the session as a terminal. */
export function usePromptIO(io: PromptIO | undefined): void {
  ioOverride = io ? { io, interactive: true } : undefined;
}

function streams(): PromptIO {
  return ioOverride?.io ?? { input: process.stdin, output: process.stderr };
}

function promptContext() {
  return ioOverride
    ? { input: ioOverride.io.input as NodeJS.ReadStream, output: keepOpen(ioOverride.io.output), clearPromptOnDone: false }
    : { input: process.stdin, output: process.stderr, clearPromptOnDone: false };
}

/** A prompt ends its output stream when it closes; give each prompt a view that does not. */
function keepOpen(output: NodeJS.WritableStream): NodeJS.WriteStream {
  return new Writable({
    write: (chunk, encoding, done) => void output.write(chunk, encoding, () => done()),
  }) as unknown as NodeJS.WriteStream;
}

/** --json never prompts: its output is for a program, which answers with --yes. */
export function canPrompt(ctx: Context): boolean {
  return ioOverride ? ioOverride.interactive && !ctx.flags.json : ctx.canPrompt;
}

export interface ConfirmSpec {
  /** What will happen, naming the object and the counts. */
  action: string;
  /** When set, the user must type this (an id or number) instead of answering y/N. */
  typeToConfirm?: string;
  /** What else the typed answer may be (another formatting of the same phone number); exactly typeToConfirm by default. */
  accepts?: (typed: string) => boolean;
}

/**
 * Returns when the action may go ahead; throws RefusedError (nothing changed) otherwise.
 * --yes answers it; without a terminal and without --yes it refuses.
 */
export async function confirmAction(ctx: Context, spec: ConfirmSpec): Promise<void> {
  if (ctx.flags.yes) return;
  if (!canPrompt(ctx)) {
    // Say which: on a terminal, --json or --no-input is what keeps the prompt away.
    const why = ctx.flags.json ? '--json never prompts' : !ctx.flags.input ? '--no-input' : 'not on a terminal';
    throw new RefusedError(`refusing to ${spec.action} without confirmation: ${why}`, {
      hint: 'pass --yes to confirm, or --dry-run to preview',
    });
  }
  // The action names rows as the database holds them: shown escaped (safe-text.ts).
  const action = safeText(spec.action);
  if (spec.typeToConfirm !== undefined) {
    const message = `This will ${action}. Type ${safeText(spec.typeToConfirm)} to confirm:`;
    const answer = dumb(ctx) ? await askLine(`${message} `) : await (await import('@inquirer/prompts')).input({ message }, promptContext());
    const typed = answer.trim();
    if (typed !== spec.typeToConfirm && !spec.accepts?.(typed)) throw new RefusedError(`not confirmed (typed '${typed}'); nothing was changed`);
    return;
  }
  const message = `This will ${action}. Continue?`;
  const ok = dumb(ctx)
    ? /^y(es)?$/i.test((await askLine(`${message} [y/N] `)).trim())
    : await (await import('@inquirer/prompts')).confirm({ message, default: false }, promptContext());
  if (!ok) throw new RefusedError('not confirmed; nothing was changed');
}

export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

/** One choice from a list; `fallback` answers it when no terminal is available. */
export async function chooseOne<T>(ctx: Context, question: string, offered: Choice<T>[], fallback: () => T): Promise<T> {
  if (!canPrompt(ctx) || ctx.flags.yes) return fallback();
  // The choices name rows as the database holds them: shown escaped (safe-text.ts).
  const message = safeText(question);
  const choices = offered.map((c) => ({ ...c, name: safeText(c.name), ...(c.description === undefined ? {} : { description: safeText(c.description) }) }));
  if (dumb(ctx)) return pickByNumber(message, choices, fallback());
  const { select } = await import('@inquirer/prompts');
  return select({ message, choices }, promptContext());
}

/** TERM=dumb: the terminal cannot move the cursor, so prompts must not try (inquirer always does). */
function dumb(ctx: Context): boolean {
  return ctx.env.TERM === 'dumb';
}

/** A question and the line typed after it: what a dumb terminal can show. Ctrl-D answers nothing. */
function askLine(question: string): Promise<string> {
  const { input, output } = streams();
  const rl = createInterface({ input, output: keepOpen(output), terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    rl.question(question, (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.on('close', () => {
      if (!answered) resolve('');
    });
  });
}

/** A numbered list and the number typed; Enter takes the default. */
async function pickByNumber<T>(message: string, choices: Choice<T>[], byDefault: T): Promise<T> {
  const { output } = streams();
  const first = Math.max(0, choices.findIndex((c) => c.value === byDefault));
  output.write(`${message}\n${choices.map((c, i) => `  ${i + 1}. ${c.name}${c.description ? ` (${c.description})` : ''}`).join('\n')}\n`);
  for (;;) {
    const typed = (await askLine(`number [${first + 1}]: `)).trim();
    if (typed === '') return choices[first].value;
    const n = Number(typed);
    if (Number.isInteger(n) && n >= 1 && n <= choices.length) return choices[n - 1].value;
    output.write(`type a number from 1 to ${choices.length}\n`);
  }
}
