/**
 * The one flow every destructive command follows, whatever its rule:
 *   1. the rule's plan: what would change (rows, counts, statements), changing nothing;
 *   2. --dry-run: return the plan (rehearsed, for rules that ask it); nothing to do: say so;
 *   3. confirm (a prompt naming the object and counts; severe actions ask to type an id; no
 *      terminal without --yes refuses with exit 4, nothing changed);
 *   4. the rule's apply, in one or more transactions, each archiving what it removes or changes
 *      under one archive operation (created with the first transaction), with progress on a
 *      terminal;
 *   5. return the plan, the result and the archive operation id (for `archive restore`).
 */
import type { Knex } from 'knex';
import type { Applier } from '../archive/applier.js';
import { beginOperation, operationHasRows, recordAfterImages, setSummary, type ArchiveOperation } from '../archive/operation.js';
import { redactSecrets } from '../config/redact.js';
import { translatePgError } from '../data/pg-errors.js';
import type { DestructiveRule, PlanBase } from '../domain/rule.js';
import type { Context } from './context.js';
import { startProgress } from './progress.js';
import { confirmAction } from './prompts.js';

export interface DestructiveResult<P, R> {
  action: string;
  dryRun: boolean;
  /** The plan found nothing to do, or the work ran and changed nothing (no archive operation kept). */
  nothingToDo: boolean;
  plan: P;
  /** The archive operation holding what was removed or changed: `bookops archive restore <id>`. */
  archiveOperation?: number;
  /** The run's result; with --dry-run of a rehearsing rule, what the rehearsal did before it was rolled back. */
  result?: R;
}

/** Rolls back a transaction that changed nothing, carrying its result out. */
class RolledBack extends Error {
  constructor(readonly result: unknown) {
    super('rolled back');
  }
}

export async function runDestructive<I, P extends PlanBase, R>(ctx: Context, rule: DestructiveRule<I, P, R>, input: I): Promise<DestructiveResult<P, R>> {
  const db = await ctx.db();
  const plan = await rule.plan(db, input);
  const base = { action: rule.action, plan, nothingToDo: plan.empty };
  if (ctx.flags.dryRun) {
    if (!rule.rehearse || plan.empty) return { ...base, dryRun: true };
    return { ...base, dryRun: true, result: await rehearse(db, rule, plan) };
  }
  if (plan.empty) return { ...base, dryRun: false };
  rule.refuse?.(plan);
  await confirmAction(ctx, { action: plan.summary, ...rule.confirmation?.(plan) });

  let op: ArchiveOperation | undefined;
  const progress = await startProgress(ctx.out, rule.action);
  const applier: Applier = rule.unarchived
    ? { transaction: (fn) => db.transaction((trx) => fn(trx, undefined as unknown as ArchiveOperation)), progress: (d, t) => progress.update(d, t) }
    : {
        transaction: async (fn) => {
          const creates = op === undefined;
          try {
            return await db.transaction(async (trx) => {
              // Marked incomplete until the run ends: a Ctrl-C between batches leaves it so in `archive list`.
              op ??= await beginOperation(trx, { action: rule.action, commandLine: ctx.commandLine, summary: { complete: false } });
              const result = await fn(trx, op);
              await recordAfterImages(trx, op);
              // Every change is archived, so an operation that archived nothing changed nothing: it is
              // rolled back rather than kept as an empty undo (a repeated reassign, say).
              if (creates && !(await operationHasRows(trx, op))) throw new RolledBack(result);
              return result;
            });
          } catch (err) {
            // The transaction that created the operation rolled back: it does not exist any more.
            if (creates) op = undefined;
            if (err instanceof RolledBack) return err.result as Awaited<ReturnType<typeof fn>>;
            throw err;
          }
        },
        progress: (done, total) => progress.update(done, total),
      };
  try {
    const result = await rule.apply(applier, plan);
    if (op) await db.transaction((trx) => setSummary(trx, op!, { ...rule.summary?.(result, plan), complete: true }));
    progress.stop();
    return { ...base, dryRun: false, nothingToDo: !rule.unarchived && op === undefined, archiveOperation: op?.id, result };
  } catch (err) {
    // Best effort (the connection may be going away): say why the operation stopped.
    if (op) await db.transaction((trx) => setSummary(trx, op!, { complete: false, error: stopReason(err) })).catch(() => undefined);
    progress.fail(`${rule.action} failed${op ? `; batches already committed are in archive operation ${op.id}` : '; nothing was changed'}`);
    throw err;
  }
}

/**
 * Runs the apply in one transaction that is always rolled back: the same statements, so a dry
 * run predicts what only trying can tell and fails exactly as the run would, with its exit code,
 * changing nothing. Every failure says it came from the dry run.
 */
async function rehearse<I, P extends PlanBase, R>(db: Knex, rule: DestructiveRule<I, P, R>, plan: P): Promise<R> {
  try {
    await db.transaction(async (trx) => {
      const applier: Applier = { transaction: (fn) => fn(trx, undefined as unknown as ArchiveOperation), progress: () => undefined };
      throw new RolledBack(await rule.apply(applier, plan));
    });
  } catch (err) {
    if (err instanceof RolledBack) return err.result as R;
    // Translated first: the top-level handler words a raw pg error from its own fields, which
    // would drop the prefix set on its message.
    const failure = translatePgError(err);
    if (failure instanceof Error) failure.message = `dry run: ${failure.message}`;
    throw failure;
  }
  throw new Error('unreachable: the rehearsal always rolls back');
}

/** Why a run stopped, as one line (a raw pg error carries the statement in its message). */
function stopReason(err: unknown): string {
  const failure = translatePgError(err);
  return redactSecrets(failure instanceof Error ? failure.message : String(failure));
}
