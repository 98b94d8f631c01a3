/**
 * Running one read-only piece of work over several targets: at most `parallel` at a time, each
 * in a context of its own (its own connections, closed when it is done), each bounded by
 * `timeoutMs`. A target that fails (cannot be reached, times out, a statement fails) becomes an
 * entry with its error and exit code; it never stops or hides the others.
 */
import type { NamedTarget } from '../config/targets.js';
import { translatePgError } from '../data/pg-errors.js';
import { BookopsError, DatabaseError, InterruptedError } from '../errors.js';
import { EXIT, worstExit } from '../exit-codes.js';
import { formatGivenDuration } from '../config/duration.js';
import { redactSecrets } from '../config/redact.js';
import { withHintsOn } from '../invocation.js';
import type { Context } from '../io/context.js';
import { Output } from '../io/output.js';
import type { SessionOptions } from '../data/session.js';

/** What one target gave: its result, or its error; the exit code either maps to. */
export interface TargetRun<R> {
  /** The config file's name of the target (or user@host:port/db when it has none). */
  target: string;
  /** user@host:port/db: never a password. */
  address: string;
  exitCode: number;
  result?: R;
  error?: { code: string; message: string; hint?: string };
  seconds: number;
}

export interface FleetOptions<R> {
  parallel: number;
  timeoutMs: number;
  run(ctx: Context): Promise<R>;
  exitCode(result: R): number;
  /** Session settings of every target's connections (the exporter's application_name, read only). */
  session?: Partial<SessionOptions>;
  /** Aborted: every target still running stops at once and closes its connections (the exporter's shutdown). */
  signal?: AbortSignal;
}

export async function runOverTargets<R>(ctx: Context, targets: NamedTarget[], opts: FleetOptions<R>): Promise<Array<TargetRun<R>>> {
  const runs: Array<TargetRun<R>> = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const at = next++;
      runs[at] = await runOne(ctx, targets[at], opts);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.parallel, targets.length) }, worker));
  return runs;
}

export function worstOf(runs: ReadonlyArray<TargetRun<unknown>>): number {
  return worstExit(runs.map((r) => r.exitCode));
}

async function runOne<R>(parent: Context, named: NamedTarget, opts: FleetOptions<R>): Promise<TargetRun<R>> {
  // The server stops a statement at the target's deadline too, not only this process waiting for it.
  const session: Partial<SessionOptions> = {
    statementTimeoutMs: Math.min(parent.flags.statementTimeoutMs, opts.timeoutMs),
    connectTimeoutMs: Math.min(parent.flags.connectTimeoutMs, opts.timeoutMs),
    ...opts.session,
  };
  // Several at once: no spinner or progress line of one target drawn over another's.
  const out = new Output({ json: true, quiet: true, verbose: parent.flags.verbose, color: false, env: parent.env });
  const ctx = parent.forTarget(named, { out, session });
  const started = performance.now();
  const base = { target: named.name, address: named.target.label };
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  // Given up (its timeout, or the run stopping), the target's work is stopped too, not left to go
  // on behind the report: nothing new starts and the statement in progress is cancelled.
  const giveUp = (err: Error, reject: (err: Error) => void) => {
    void ctx.abandon(err.message).catch(() => undefined);
    reject(err);
  };
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => giveUp(new DatabaseError(`no answer within the target timeout of ${formatGivenDuration(opts.timeoutMs)}`), reject), opts.timeoutMs);
    onAbort = () => giveUp(new InterruptedError('stopped'), reject);
    if (opts.signal?.aborted) onAbort();
    opts.signal?.addEventListener('abort', onAbort);
  });
  try {
    // Its hints name it (--target <name>): pasted, they act on this target and no other.
    const result = await Promise.race([withHintsOn(named.name, () => opts.run(ctx)), deadline]);
    return { ...base, exitCode: opts.exitCode(result), result, seconds: elapsed(started) };
  } catch (err) {
    const error = translatePgError(err);
    if (error instanceof BookopsError) {
      return { ...base, exitCode: error.exitCode, error: { code: error.code, message: redactSecrets(error.message), hint: error.hint }, seconds: elapsed(started) };
    }
    const message = redactSecrets(`internal error: ${(error as Error)?.message ?? String(error)}`);
    return { ...base, exitCode: EXIT.INTERNAL, error: { code: 'internal', message }, seconds: elapsed(started) };
  } finally {
    clearTimeout(timer);
    if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    await ctx.close();
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started) / 1000;
}

/** True when the target never answered (bookops_up 0): the run got no result. */
export function answered(run: TargetRun<unknown>): boolean {
  return run.result !== undefined;
}

