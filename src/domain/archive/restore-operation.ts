/**
 * `archive restore <op>` as a destructive rule like the others: the plan is the operation and what
 * undoing it does per table; the confirmation asks to type the operation's id; the apply is the
 * archive's restore in one transaction (it archives nothing itself: it is the undo). --dry-run
 * rehearses it: the same statements in a transaction that is rolled back, so a dry run predicts
 * what only trying can tell (a row changed since, a key taken again by a new row).
 */
import type { Applier } from '../../archive/applier.js';
import type { ShownStatement } from '../../archive/changes.js';
import { restoreOperation, restoreStatements, showOperation, type OperationDetail, type RestoreResult } from '../../archive/restore.js';
import type { Db } from '../../data/sql.js';
import { RefusedError } from '../../errors.js';
import type { DestructiveRule, PlanBase } from '../rule.js';

/** What restoring each kind of archived change does, as the confirmation says it. */
const UNDO = { deleted: 'reinsert', updated: 'set back', inserted: 'remove' } as const;

export interface RestorePlan extends PlanBase {
  operation: OperationDetail;
  statements: ShownStatement[];
}

export async function planRestore(db: Db, input: { operation: number }): Promise<RestorePlan> {
  const operation = await showOperation(db, input.operation, 10);
  if (operation.restored_at) {
    throw new RefusedError(`archive operation ${operation.id} was already restored at ${new Date(operation.restored_at).toISOString()}`);
  }
  const counts = operation.tables.map((t) => `${UNDO[t.change]} ${t.rows} ${t.table_name} row(s)`);
  return {
    summary: `restore operation ${operation.id} (${operation.action}): ${counts.join(', ')}`,
    empty: false,
    // The undo archives nothing: it puts back what its operation archived.
    archives: {},
    operation,
    statements: await restoreStatements(db, operation.id),
  };
}

export const restoreRule: DestructiveRule<{ operation: number }, RestorePlan, RestoreResult> = {
  action: 'archive.restore',
  doing: 'restoring the archived rows',
  plan: planRestore,
  confirmation: (plan) => ({ typeToConfirm: String(plan.operation.id) }),
  apply: (applier: Applier, plan) => applier.transaction((trx) => restoreOperation(trx, plan.operation.id)),
  rehearse: true,
  unarchived: true,
};
