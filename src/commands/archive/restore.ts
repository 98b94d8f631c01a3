import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { confirmAction } from '../../cli/prompts.js';
import { restoreOperation, type RestoreResult } from '../../archive/restore.js';
import { showOperation, type OperationDetail } from '../../archive/queries.js';
import { RefusedError } from '../../errors.js';

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
  restored?: RestoreResult;
}

export async function run(ctx: Context, opts: RestoreOptions): Promise<RestoreCommandResult> {
  const db = await ctx.db();
  const operation = await showOperation(db, opts.operation, 10);
  if (operation.restored_at) {
    throw new RefusedError(`archive operation ${operation.id} was already restored at ${new Date(operation.restored_at).toISOString()}`);
  }
  if (ctx.flags.dryRun) return { dryRun: true, operation };
  const counts = operation.tables.map((t) => `${UNDO[t.change as keyof typeof UNDO].todo} ${t.rows} ${t.table_name} row(s)`);
  await confirmAction(ctx, {
    action: `restore operation ${operation.id} (${operation.action}): ${counts.join(', ')}`,
    typeToConfirm: String(operation.id),
  });
  const restored = await db.transaction((trx) => restoreOperation(trx, operation.id));
  return { dryRun: false, operation, restored };
}

export function render(r: RestoreCommandResult, out: Output): void {
  const lines = r.operation.tables.map((t) => `  ${t.table_name}: ${t.rows} to ${UNDO[t.change as keyof typeof UNDO].todo}`);
  if (r.dryRun) {
    out.print(`would restore operation ${r.operation.id} (${r.operation.action}), nothing changed:`);
    lines.forEach((l) => out.print(l));
    return;
  }
  const done = [
    ...Object.entries(r.restored!.inserted).map(([t, n]) => `${n} ${t} reinserted`),
    ...Object.entries(r.restored!.updated).map(([t, n]) => `${n} ${t} set back`),
    ...Object.entries(r.restored!.removed).map(([t, n]) => `${n} ${t} removed`),
  ];
  out.print(`${out.c.green('restored')} operation ${r.operation.id} (${r.operation.action}): ${done.join(', ')}`);
}
