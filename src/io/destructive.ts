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
import { beginOperation, committedChanges, operationHasRows, recordAfterImages, setSummary, shownAfterImages, type ArchiveOperation } from '../archive/operation.js';
import { show } from '../archive/changes.js';
import { redactSecrets } from '../config/redact.js';
import { translatePgError } from '../data/pg-errors.js';
import { updatedTables } from '../domain/planned.js';
import type { DestructiveRule, PlanBase } from '../domain/rule.js';
import { InterruptedError } from '../errors.js';
import { asInvoked } from '../invocation.js';
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
  // The statements shown are all the statements sent: the images each transaction records again
  // as it ends too, of the tables it updates or inserts into.
  if (plan.statements && !rule.unarchived && !plan.empty) {
    const inserted = plan.statements.flatMap((st) => (st.recordsInsertedInto ? [st.recordsInsertedInto] : []));
    const after = await shownAfterImages(db, [...new Set([...updatedTables(plan.archives), ...inserted])]);
    plan.statements = [...plan.statements, ...after.map((st) => show(db, st, "as each transaction ends, when it updated or inserted rows of the table: those rows as they are now (an update's after_data, an insert's row_data) where they changed since their statement, so a restore can tell a row changed since; $1: that transaction's archive rows"))];
  }
  const base = { action: rule.action, plan, nothingToDo: plan.empty };
  if (ctx.flags.dryRun) {
    if (!rule.rehearse || plan.empty) return { ...base, dryRun: true };
    return { ...base, dryRun: true, result: await rehearse(db, rule, plan) };
  }
  if (plan.empty) return { ...base, dryRun: false };
  rule.refuse?.(plan);
  await confirmAction(ctx, { action: plan.summary, ...rule.confirmation?.(plan) });

  let op: ArchiveOperation | undefined;
  const progress = await startProgress(ctx.out, rule.doing, rule.unit);
  const applier: Applier = rule.unarchived
    ? {
        transaction: (fn) => {
          ctx.checkInterrupted();
          return db.transaction((trx) => fn(trx, undefined as unknown as ArchiveOperation));
        },
        progress: (d, t) => progress.update(d, t),
      }
    : {
        transaction: async (fn) => {
          // After Ctrl-C no new batch starts; the one in progress is cancelled by the handler.
          ctx.checkInterrupted();
          const creates = op === undefined;
          try {
            const committed = await db.transaction(async (trx) => {
              // Marked incomplete until the run ends: a Ctrl-C between batches leaves it so in `archive list`.
              op ??= await beginOperation(trx, { action: rule.action, commandLine: ctx.commandLine, summary: { complete: false } });
              const result = await fn(trx, op);
              await recordAfterImages(trx, op);
              // Every change is archived, so an operation that archived nothing changed nothing: it is
              // rolled back rather than kept as an empty undo (a repeated reassign, say).
              if (creates && !(await operationHasRows(trx, op))) throw new RolledBack(result);
              return result;
            });
            // Committed: the operation exists now, and a run stopped hard names it.
            ctx.archiveOperation = op?.id;
            return committed;
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
    // The signal came as the last batch committed: everything is done, and still undoable.
    if (ctx.interruptedBy) throw await interruptedAfter(db, ctx.interruptedBy, rule.action, op, true);
    return { ...base, dryRun: false, nothingToDo: !rule.unarchived && op === undefined, archiveOperation: op?.id, result };
  } catch (err) {
    if (err instanceof InterruptedError && err.details?.archiveOperation !== undefined) throw err;
    const signal = ctx.interruptedBy;
    // Best effort (the connection may be going away): say why the operation stopped.
    const reason = signal ? `interrupted by ${signal}` : stopReason(err);
    if (op) await db.transaction((trx) => setSummary(trx, op!, { complete: false, error: reason })).catch(() => undefined);
    if (signal) {
      progress.stop();
      throw await interruptedAfter(db, signal, rule.action, op, false);
    }
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

const CHANGED = { deleted: 'deleted from', updated: 'updated in', inserted: 'inserted into' } as const;

/**
 * What a person who pressed Ctrl-C must know: which batches stay committed (and under which
 * archive operation), the command that undoes them, and that the batch in progress was rolled back.
 */
async function interruptedAfter(db: Knex, signal: NodeJS.Signals, action: string, op: ArchiveOperation | undefined, finished: boolean): Promise<InterruptedError> {
  if (!op) return new InterruptedError(`interrupted by ${signal}: ${action} changed nothing (the transaction in progress was rolled back)`, { signal });
  const committed = await committedChanges(db, op).catch(() => []);
  const what = committed.length ? committed.map((t) => `${t.rows} row(s) ${CHANGED[t.change]} ${t.table_name}`).join(', ') : 'its committed batches';
  const undo = asInvoked(`archive restore ${op.id}`);
  return new InterruptedError(
    `interrupted by ${signal}: ${action} ${finished ? 'had already finished' : 'stopped'}; already committed: ${what}, archived in operation ${op.id}` +
      `${finished ? '' : '; the batch in progress was rolled back'}; undo with: ${undo}`,
    { signal, details: { archiveOperation: op.id, committed, complete: finished, undo } },
  );
}
