/**
 * The one flow every destructive command follows:
 *   1. read what would change (the plan: rows, counts, statements), changing nothing;
 *   2. --dry-run: return the plan; nothing to do: say so;
 *   3. confirm (prompt naming the object and counts; severe actions ask to type an id; no TTY
 *      without --yes refuses with exit 4, nothing changed);
 *   4. apply in one or more transactions, each archiving what it removes or changes under one
 *      archive operation (created with the first transaction), with progress on a TTY;
 *   5. return the plan, the result and the archive operation id (for `archive restore`).
 */
import type { Knex } from 'knex';
import type { Context } from '../../cli/context.js';
import { confirmAction } from '../../cli/prompts.js';
import { redactSecrets } from '../../config/redact.js';
import { translatePgError } from '../../data/pg-errors.js';
import { startProgress } from '../../cli/progress.js';
import { beginOperation, operationHasRows, recordAfterImages, setSummary, type ArchiveOperation } from '../../archive/archive.js';

export interface DestructivePlan<P> {
  /** What will happen, naming the object and the counts: "delete 3 cancelled interviews of slot 12". */
  describe: string;
  /** What --dry-run shows and --json returns: rows, counts, statements. */
  preview: P;
  /** Nothing would change. */
  empty: boolean;
  /** Severe actions: the user must type this (an id or a number) to confirm. */
  typeToConfirm?: string;
  /** Other answers that mean the same (see ConfirmSpec.accepts). */
  accepts?: (typed: string) => boolean;
}

export interface Applier {
  /** Runs fn in a transaction with the archive operation (created in the first one). */
  transaction<T>(fn: (trx: Knex.Transaction, op: ArchiveOperation) => Promise<T>): Promise<T>;
  /** Progress of batched work, drawn on a TTY only. */
  progress(done: number, total?: number): void;
}

export interface DestructiveResult<P, R> {
  action: string;
  dryRun: boolean;
  /** The plan found nothing to do, or the work ran and changed nothing (no archive operation kept). */
  nothingToDo: boolean;
  plan: P;
  /** The archive operation holding what was removed or changed: `bookops archive restore <id>`. */
  archiveOperation?: number;
  result?: R;
}

/** Rolls back a transaction that changed nothing, carrying its result out. */
class NothingChanged extends Error {
  constructor(readonly result: unknown) {
    super('nothing changed');
  }
}

export async function runDestructive<P, R>(
  ctx: Context,
  spec: {
    action: string;
    plan: DestructivePlan<P>;
    apply: (applier: Applier) => Promise<R>;
    /** Stored with the archive operation (counts, ids) once done. */
    summary?: (result: R) => Record<string, unknown>;
  },
): Promise<DestructiveResult<P, R>> {
  const { action, plan } = spec;
  const base = { action, plan: plan.preview, nothingToDo: plan.empty };
  if (ctx.flags.dryRun) return { ...base, dryRun: true };
  if (plan.empty) return { ...base, dryRun: false };
  await confirmAction(ctx, { action: plan.describe, typeToConfirm: plan.typeToConfirm, accepts: plan.accepts });

  const db = await ctx.db();
  let op: ArchiveOperation | undefined;
  const progress = await startProgress(ctx.out, action);
  const applier: Applier = {
    transaction: async (fn) => {
      const creates = op === undefined;
      try {
        return await db.transaction(async (trx) => {
          // Marked incomplete until the run ends: a Ctrl-C between batches leaves it so in `archive list`.
          op ??= await beginOperation(trx, { action, commandLine: ctx.commandLine, summary: { complete: false } });
          const result = await fn(trx, op);
          await recordAfterImages(trx, op);
          // Every change is archived, so an operation that archived nothing changed nothing: it is
          // rolled back rather than kept as an empty undo (a repeated reassign, say).
          if (creates && !(await operationHasRows(trx, op))) throw new NothingChanged(result);
          return result;
        });
      } catch (err) {
        // The transaction that created the operation rolled back: it does not exist any more.
        if (creates) op = undefined;
        if (err instanceof NothingChanged) return err.result as Awaited<ReturnType<typeof fn>>;
        throw err;
      }
    },
    progress: (done, total) => progress.update(done, total),
  };
  try {
    const result = await spec.apply(applier);
    if (op) await db.transaction((trx) => setSummary(trx, op!, { ...spec.summary?.(result), complete: true }));
    progress.stop();
    return { ...base, dryRun: false, nothingToDo: op === undefined, archiveOperation: op?.id, result };
  } catch (err) {
    // Best effort (the connection may be going away): say why the operation stopped.
    if (op) await db.transaction((trx) => setSummary(trx, op!, { complete: false, error: stopReason(err) })).catch(() => undefined);
    progress.fail(`${action} failed${op ? `; batches already committed are in archive operation ${op.id}` : '; nothing was changed'}`);
    throw err;
  }
}

/** Why a run stopped, as one line (a raw pg error carries the statement in its message). */
function stopReason(err: unknown): string {
  const failure = translatePgError(err);
  return redactSecrets(failure instanceof Error ? failure.message : String(failure));
}
