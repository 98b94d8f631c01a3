/**
 * How the user ran this bookops, so every command bookops tells them to type next (a repair, a
 * "try next", an undo, "see … --help") works when pasted: `npx bookops` under npx, `bookops` when
 * that name on the PATH is this very bookops, else `node <path to bin/bookops.js>` (relative to
 * the working directory when it is under it). Read from the process alone; anything that is not
 * our bin script running (the tests in-process, a library use) gets the plain `bookops`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { projectRoot } from './paths.js';

export interface Process {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** The words that run this bookops, for a shell. */
export function invocation(proc: Process = { argv: process.argv, env: process.env, cwd: process.cwd() }): string {
  const script = proc.argv[1];
  const bin = join(projectRoot(), 'bin', 'bookops.js');
  if (!script || real(script) !== real(bin)) return 'bookops';
  // npx / npm exec (npm 7 and later) run the bin with npm_command=exec and the command they were
  // given as npm_lifecycle_script; a child of another npx command (`npx vitest`) inherits the first only.
  if (proc.env.npm_command === 'exec' && /^'?bookops'?(\s|$)/.test(proc.env.npm_lifecycle_script ?? '')) return 'npx bookops';
  if (onPath('bookops', proc.env) === real(bin)) return 'bookops';
  const rel = relative(proc.cwd, script);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script;
  return `node ${shellWord(shown)}`;
}

let cached: string | undefined;

/** The invocation of this process (computed once). */
export function invokedAs(): string {
  cached ??= invocation();
  return cached;
}

/** `bookops <args>` as this bookops was invoked: `asInvoked('archive restore 12')`. */
export function asInvoked(args: string): string {
  return `${invokedAs()} ${args}`;
}

/** A shell line written with `bookops …` (a help example), as invoked: at its start, in `$(…)` or `<(…)`, after `&&`. */
export function shellLineAsInvoked(line: string): string {
  return line.replace(/(^|[$<]\(|&& )bookops (?=[a-z-])/g, (_, before: string) => `${before}${invokedAs()} `);
}

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** Where the shell would find `name` (resolved), or undefined. */
function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return real(candidate);
  }
  return undefined;
}

function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
