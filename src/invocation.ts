/**
 * How the user ran this bookops, so every command bookops tells them to type next (a repair, a
 * "try next", an undo, "see … --help") works when pasted: `npx bookops` under npx, `bookops` when
 * that name on the PATH is this very bookops, else `node <path to bin/bookops.js>` (relative to
 * the working directory when it is under it). Read from the process alone; anything that is not
 * our bin script running (the tests in-process, a library use) gets the plain `bookops`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, realpathSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative } from 'node:path';
import { formatConninfo, parseConninfo, type ConninfoOptions } from './config/conninfo.js';
import { looksLikeUri, parseUri } from './config/uri.js';
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
  if (!isOurBin(script)) return 'bookops';
  // npx / npm exec (npm 7 and later) run the bin with npm_command=exec and the command they were
  // given as npm_lifecycle_script; a child of another npx command (`npx vitest`) inherits the first only.
  if (proc.env.npm_command === 'exec' && /^'?bookops'?(\s|$)/.test(proc.env.npm_lifecycle_script ?? '')) return 'npx bookops';
  if (onPath('bookops', proc.env) === real(bin)) return 'bookops';
  const rel = relative(proc.cwd, script);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script;
  return `node ${shellWord(shown)}`;
}

/**
 * The database of this run, as words to paste: a repair, an undo or a "try next" pasted without it
 * would run against DATABASE_URL, the PG* variables or the embedded cluster instead, and
 * `archive restore 3` there restores another database's operation 3. `--db`: a string holding a
 * password is given back as keyword/value pairs without it (the password then comes from
 * PGPASSWORD or the password file, as for psql): never printed. `--target <name>` (with its
 * `--config`): when there is one; a run over several names none. Empty when there is none.
 */
export function targetWords(argv: readonly string[]): string {
  const { db, config, targets } = targetFlags(argv);
  // `--target a --target a` is one target.
  if (new Set(targets).size === 1) return namedTargetWords(config, targets[0]);
  return db === undefined ? '' : dbWords(db);
}

function namedTargetWords(config: string | undefined, name: string): string {
  return `${config !== undefined ? `--config ${shellWord(config)} ` : ''}--target ${shellWord(name)}`;
}

function targetFlags(argv: readonly string[]): { db?: string; config?: string; targets: string[]; migrationsDir?: string } {
  let db: string | undefined;
  let config: string | undefined;
  let migrationsDir: string | undefined;
  const targets: string[] = [];
  for (let i = 2; i < argv.length; i++) {
    const [flag, inline] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    if (flag === '--') break;
    if (!['--db', '--target', '--config', '--migrations-dir'].includes(flag)) continue;
    const value = inline ?? argv[++i];
    if (value === undefined) break;
    if (flag === '--db') db = value;
    else if (flag === '--config') config = value;
    else if (flag === '--migrations-dir') migrationsDir = value;
    else targets.push(value);
  }
  return { db, config, targets, migrationsDir };
}

/**
 * The commands that read the migrations folder (their --migrations-dir): a hint naming one, pasted
 * without the folder this run was given, would plan, apply or compare the shipped migrations instead.
 */
const READS_MIGRATIONS = /^(?:migrate [a-z]+|audit|chats verify|serve)(?=\s|$)/;

/** `args` with this run's `--migrations-dir <folder>` after its command, when it reads migrations and one was given. */
export function withMigrationsDir(args: string, argv: readonly string[]): string {
  const { migrationsDir } = targetFlags(argv);
  if (migrationsDir === undefined) return args;
  return args.replace(READS_MIGRATIONS, (command) => `${command} --migrations-dir ${shellWord(migrationsDir)}`);
}

function dbWords(value: string): string {
  const text = value.trim();
  if (!text) return '';
  let options: ConninfoOptions;
  try {
    options = looksLikeUri(text) ? parseUri(text) : parseConninfo(text);
  } catch {
    return ''; // refused as a usage error before any hint is printed
  }
  if (options.password === undefined) return `--db ${shellWord(text)}`;
  delete options.password;
  return `--db ${shellWord(formatConninfo(options))}`;
}

let cached: string | undefined;
let cachedTarget: string | undefined;

/** The invocation of this process (computed once). */
export function invokedAs(): string {
  cached ??= invocation();
  return cached;
}

/**
 * `bookops <args>` as this bookops was invoked, on this run's database (and with its
 * --migrations-dir, for a command that reads migrations): `asInvoked('archive restore 12')`. Only
 * for our bin (in-process use has no command line of ours).
 */
export function asInvoked(args: string): string {
  return `${invokedOnTarget()} ${isOurBin(process.argv[1]) ? withMigrationsDir(args, process.argv) : args}`;
}

/**
 * In a run over several targets, the target whose work runs now (the words that name it): its
 * hints, repairs and undos must name it, and the targets run at once in one process.
 */
const targetOfRun = new AsyncLocalStorage<string>();

/** Runs fn (and everything it starts) with the hints naming one target of a run over several. */
export function withHintsOn<T>(target: string, fn: () => T): T {
  return targetOfRun.run(namedTargetWords(targetFlags(process.argv).config, target), fn);
}

/** The words that run this bookops on this run's database: `node bin/bookops.js --db '…'`. */
export function invokedOnTarget(): string {
  const scoped = targetOfRun.getStore();
  if (scoped !== undefined) return `${invokedAs()} ${scoped}`;
  cachedTarget ??= isOurBin(process.argv[1]) ? targetWords(process.argv) : '';
  return cachedTarget ? `${invokedAs()} ${cachedTarget}` : invokedAs();
}

/** True when the hints name this run's database themselves (it came from --db). */
export function hintsNameTarget(): boolean {
  return invokedOnTarget() !== invokedAs();
}

/** `bookops <command> --help` as invoked: help is the same on every database. */
export function helpAsInvoked(command: string): string {
  return `${invokedAs()} ${command ? `${command} ` : ''}--help`;
}

function isOurBin(script: string | undefined): boolean {
  return Boolean(script) && real(script!) === real(join(projectRoot(), 'bin', 'bookops.js'));
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

/** One word for a shell: as it is when the shell would keep it whole, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w./@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
