/**
 * The shape of a destructive rule: `plan` reads the database and returns plain data saying what
 * it found and what it would do (the preview, --dry-run, --json and the confirmation all read
 * it); `apply` carries that plan out, re-checking under its locks that the database is still as
 * the plan saw it, in transactions that archive everything it removes or changes. The
 * destructive flow (src/io/destructive.ts) runs every rule the same way.
 */
import type { Applier } from '../archive/applier.js';
import type { ShownStatement } from '../archive/changes.js';
import type { Db } from '../data/sql.js';
import type { PlannedChange } from './planned.js';

export interface PlanBase {
  /** What would happen, naming the object and the counts (or why nothing would). */
  summary: string;
  /** Nothing would change. */
  empty: boolean;
  /**
   * What the run will archive before it deletes or changes rows, per 'table:deleted' and
   * 'table:updated': the counts the preview promises (rows a rule inserts are recorded too, not counted here).
   */
  archives: Archives;
  /** The rows each change would archive and change: the first of them, and how many in all. */
  changes?: PlannedChange[];
  /** The statements the run sends, as the driver receives them. */
  statements?: ShownStatement[];
  /** The rule's steps, in words. */
  steps?: string[];
  /** The first rows concerned, and how many there are in all (batched repairs). */
  sample?: { table: string; total: number; rows: Record<string, unknown>[] };
}

/** Rows per 'table:change' ('slots:updated'). */
export type Archives = Record<string, number>;

export interface Confirmation {
  /** Severe actions: the user must type this (an id or a number) to confirm. */
  typeToConfirm?: string;
  /** What else the typed answer may be (another formatting of the same phone number). */
  accepts?: (typed: string) => boolean;
}

export interface DestructiveRule<I, P extends PlanBase, R> {
  /** The archive operation's action: 'slots.release'. */
  action: string;
  /** What the progress line says while the apply runs, in words: 'deleting cancelled interviews'. */
  doing: string;
  /** What a batched apply counts in its progress ('interviews'); rows by default. */
  unit?: string;
  plan(db: Db, input: I): Promise<P>;
  apply(applier: Applier, plan: P): Promise<R>;
  confirmation?(plan: P): Confirmation;
  /**
   * Refuses before the prompt what the run would refuse anyway (nobody types a phone number for a
   * delete that cannot happen); a dry run shows the plan instead.
   */
  refuse?(plan: P): void;
  /** Stored with the archive operation (counts, ids) once done. */
  summary?(result: R, plan: P): Record<string, unknown>;
  /**
   * --dry-run also rehearses the apply, in a transaction that is rolled back: for what only
   * trying can tell (a restore whose rows were changed since).
   */
  rehearse?: boolean;
  /** The apply archives nothing itself (archive restore): no archive operation is opened. */
  unarchived?: boolean;
}
