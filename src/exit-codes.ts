/**
 * The one exit-code table. docs/EXIT_CODES.md and `bookops --help` print it; scripts and cron
 * jobs depend on it, so codes are only ever added, never renumbered.
 */
export const EXIT = {
  /** Success; for audit-like commands: nothing at or above --fail-on. */
  OK: 0,
  /** Findings: an audit or verify found problems at or above --fail-on. */
  FINDINGS: 1,
  /** Usage or bad input: unknown command or option, invalid value, malformed URL. */
  USAGE: 2,
  /** Cannot reach or log in to the database (or the embedded cluster cannot start). */
  CONNECTION: 3,
  /** Refused: a safety check, a failed preflight, a held lock, no TTY without --yes, a declined prompt. */
  REFUSED: 4,
  /** Not found: the slot, interview, number or archive operation named does not exist. */
  NOT_FOUND: 5,
  /** Conflict: the database state forbids the action (slot taken, concurrent change, deadlock). */
  CONFLICT: 6,
  /** The database rejected a statement (permissions, timeouts, schema not what was expected). */
  DATABASE: 7,
  /** Internal error: a bug in bookops; rerun with --verbose and report it. */
  INTERNAL: 70,
  /** Interrupted by Ctrl-C (SIGINT); the statement in progress was cancelled and its transaction rolled back. */
  INTERRUPTED: 130,
  /** Stopped by SIGTERM (128 + 15, as a shell reports it); as for 130. */
  TERMINATED: 143,
} as const;

export const EXIT_CODE_TABLE: ReadonlyArray<[number, string]> = [
  [EXIT.OK, 'success (audit/verify: nothing at or above --fail-on)'],
  [EXIT.FINDINGS, 'findings: audit or verify found problems'],
  [EXIT.USAGE, 'usage or bad input'],
  [EXIT.CONNECTION, 'cannot reach or log in to the database'],
  [EXIT.REFUSED, 'refused by a safety check, preflight, held lock, read-only standby or missing confirmation'],
  [EXIT.NOT_FOUND, 'the named object does not exist'],
  [EXIT.CONFLICT, 'conflict with the database state (taken, concurrent change)'],
  [EXIT.DATABASE, 'the database rejected a statement'],
  [EXIT.INTERNAL, 'internal error (a bug: rerun with --verbose)'],
  [EXIT.INTERRUPTED, 'interrupted by Ctrl-C (SIGINT); the transaction in progress rolled back'],
  [EXIT.TERMINATED, 'stopped by SIGTERM; the transaction in progress rolled back'],
];

/**
 * Which code a run over several targets exits with: the worst of its targets'. An interruption
 * or a bug first, then a target that could not be reached or whose statements failed (3, 7), then
 * bad input, then a refusal or a missing or conflicting object, then findings (1), then healthy (0).
 */
const WORST_FIRST: readonly number[] = [
  EXIT.INTERRUPTED,
  EXIT.INTERNAL,
  EXIT.CONNECTION,
  EXIT.DATABASE,
  EXIT.USAGE,
  EXIT.CONFLICT,
  EXIT.NOT_FOUND,
  EXIT.REFUSED,
  EXIT.FINDINGS,
  EXIT.OK,
];

export function worstExit(codes: readonly number[]): number {
  const rank = (code: number) => (WORST_FIRST.includes(code) ? WORST_FIRST.indexOf(code) : 1);
  return codes.reduce((worst, code) => (rank(code) < rank(worst) ? code : worst), EXIT.OK as number);
}
