/**
 * The typed error tree. Every failure a user can cause or meet ends up as one of these, and the
 * top-level handler (src/cli/main.ts) turns it into one line on stderr and the documented exit
 * code (src/exit-codes.ts). Anything else is a bug and exits with INTERNAL.
 */
import { EXIT } from './exit-codes.js';

export type ErrorCode =
  | 'usage'
  | 'connection'
  | 'refused'
  | 'not_found'
  | 'conflict'
  | 'findings'
  | 'interrupted'
  | 'database';

export class BookopsError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  /** A second, optional line telling the user what to do next. */
  readonly hint?: string;
  /** Extra structured data for --json output (never secrets). */
  readonly details?: Record<string, unknown>;

  constructor(
    code: ErrorCode,
    exitCode: number,
    message: string,
    opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.hint = opts.hint;
    this.details = opts.details;
  }
}

type Opts = { hint?: string; details?: Record<string, unknown>; cause?: unknown };

/** Bad command line or bad input values. */
export class UsageError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('usage', EXIT.USAGE, message, opts);
  }
}

/** Cannot reach, or cannot log in to, the database. */
export class ConnectionError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('connection', EXIT.CONNECTION, message, opts);
  }
}

/** A safety check, a held lock, a failed preflight or a missing confirmation stopped the action. */
export class RefusedError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('refused', EXIT.REFUSED, message, opts);
  }
}

/** The object the user named does not exist. */
export class NotFoundError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('not_found', EXIT.NOT_FOUND, message, opts);
  }
}

/** The database state does not allow the action (slot taken, unique violation, serialization). */
export class ConflictError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('conflict', EXIT.CONFLICT, message, opts);
  }
}

/** A statement the database rejected for a reason the user must read (not a bug of ours). */
export class DatabaseError extends BookopsError {
  constructor(message: string, opts: Opts = {}) {
    super('database', EXIT.DATABASE, message, opts);
  }
}

/**
 * A table the command needs is absent. One code for every command (exit 7, DATABASE): the schema
 * is not what bookops expects, the same code the database's own "relation does not exist" gives
 * a statement that reaches it. `absentTables` goes into --json as it is.
 */
export class AbsentTablesError extends DatabaseError {
  readonly absentTables: readonly string[];

  constructor(message: string, absentTables: readonly string[], opts: Opts = {}) {
    super(message, { ...opts, details: { ...opts.details, absentTables: [...absentTables] } });
    this.absentTables = absentTables;
  }
}

/** Ctrl-C (SIGINT, exit 130) or SIGTERM (exit 143) stopped the run. */
export class InterruptedError extends BookopsError {
  constructor(message = 'interrupted', opts: Opts & { signal?: NodeJS.Signals } = {}) {
    super('interrupted', exitCodeOfSignal(opts.signal), message, { ...opts, details: { ...(opts.signal ? { signal: opts.signal } : {}), ...opts.details } });
  }
}

export function exitCodeOfSignal(signal: NodeJS.Signals | undefined): number {
  return signal === 'SIGTERM' ? EXIT.TERMINATED : EXIT.INTERRUPTED;
}
