import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { confirmAction } from '../../cli/prompts.js';
import { restoreOperation, type RestoreResult } from '../../archive/restore.js';
import { showOperation, type OperationDetail } from '../../archive/queries.js';
import { RefusedError } from '../../errors.js';
import { translatePgError } from '../../data/pg-errors.js';

/** What restoring each kind of archived change does, as the confirmation and the dry run say it. */
const UNDO = {
  deleted: { todo: 'reinsert' },
  updated: { todo: 'set back' },
  inserted: { todo: 'remove' },
} as const;

export interface RestoreOptions {
  operation: number;
}

export interface RestoreCommandResult {
  dryRun: boolean;
  operation: OperationDetail;
  /** Done, or (--dry-run) what the rehearsal did before it was rolled back. */
  restored?: RestoreResult;
}

/** Thrown inside the rehearsal's transaction to roll it back once the restore has run. */
class Rehearsed extends Error {
  constructor(readonly result: RestoreResult) {
    super('rehearsal rolled back');
  }
}

/**
 * --dry-run rehearses the restore: the same statements in a transaction that is always rolled
 * back. So a dry run predicts what only trying can tell (a row changed since, a key taken again
 * by a new row) and fails exactly as the restore would, with its exit code, changing nothing.
 */
async function rehearse(ctx: Context, operationId: number): Promise<RestoreResult> {
  const db = await ctx.db();
  try {
    await db.transaction(async (trx) => {
      throw new Rehearsed(await restoreOperation(trx, operationId));
    });
  } catch (err) {
    if (err instanceof Rehearsed) return err.result;
    // Translated first: the top-level handler words a raw pg error from its own fields, which
    // would drop the prefix set on its message.
    const failure = translatePgError(err);
    if (failure instanceof Error) failure.message = `dry run: ${failure.message}`;
    throw failure;
  }
  throw new Error('unreachable: the rehearsal always rolls back');
}

export async function run(ctx: Context, opts: RestoreOptions): Promise<RestoreCommandResult> {
  const db = await ctx.db();
  const operation = await showOperation(db, opts.operation, 10);
  if (operation.restored_at) {
    throw new RefusedError(`archive operation ${operation.id} was already restored at ${new Date(operation.restored_at).toISOString()}`);
  }
  if (ctx.flags.dryRun) return { dryRun: true, operation, restored: await rehearse(ctx, operation.id) };
  const counts = operation.tables.map((t) => `${UNDO[t.change as keyof typeof UNDO].todo} ${t.rows} ${t.table_name} row(s)`);
  await confirmAction(ctx, {
    action: `restore operation ${operation.id} (${operation.action}): ${counts.join(', ')}`,
    typeToConfirm: String(operation.id),
  });
  const restored = await db.transaction((trx) => restoreOperation(trx, operation.id));
  return { dryRun: false, operation, restored };
}

export function render(r: RestoreCommandResult, out: Output): void {
  const done = [
    ...Object.entries(r.restored!.inserted).map(([t, n]) => `${n} ${t} reinserted`),
    ...Object.entries(r.restored!.updated).map(([t, n]) => `${n} ${t} set back`),
    ...Object.entries(r.restored!.removed).map(([t, n]) => `${n} ${t} removed`),
  ];
  if (r.dryRun) {
    out.print(`operation ${r.operation.id} (${r.operation.action}) can be restored (rehearsed and rolled back, nothing changed): ${done.join(', ')}`);
    return;
  }
  out.print(`${out.c.green('restored')} operation ${r.operation.id} (${r.operation.action}): ${done.join(', ')}`);
}
