/**
 * Deleting a WhatsApp number with everything under it (seed 003), on a legacy database whose
 * foreign keys do not cascade as well as after migration 0005: children first (messages,
 * conversations, recipients, broadcasts, bots, then the number), every row archived, in the
 * caller's transaction. The same rows go either way, so `archive restore` undoes either.
 */
import type { Knex } from 'knex';
import { ConflictError, NotFoundError, RefusedError } from '../../errors.js';
import { SQLSTATE } from '../../data/pg-errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { rule } from '../db.js';
import { blocksDelete, changesUnarchived, describeReferrers, numberCounts, otherReferrers, TREE_WHERE, type NumberTreeTable } from './preview-deletion.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';

export interface DeleteNumberResult {
  number: WhatsappNumberRow;
  /** Rows archived and deleted per kind (equal to the archive's rows per table). */
  deleted: NumberDeletionCounts;
  total: number;
  operationId: number;
}

export interface DeleteNumberOptions {
  /**
   * The counts the user confirmed (the preview's): under the locks the rows are counted again,
   * and a number that gained or lost rows meanwhile is not deleted (ConflictError), so a
   * delete never removes more (or other) than what was shown.
   */
  expected?: NumberDeletionCounts;
}

const STEPS: { table: NumberTreeTable; key: keyof NumberDeletionCounts | null }[] = [
  { table: 'whatsapp_messages', key: 'messages' },
  { table: 'conversations', key: 'conversations' },
  { table: 'broadcast_recipients', key: 'recipients' },
  { table: 'broadcasts', key: 'broadcasts' },
  { table: 'bots', key: 'bots' },
  { table: 'whatsapp_numbers', key: null },
];

const KINDS = Object.keys({ bots: 0, conversations: 0, messages: 0, broadcasts: 0, recipients: 0 } satisfies NumberDeletionCounts) as (keyof NumberDeletionCounts)[];

export async function deleteNumber(trx: Knex.Transaction, op: ArchiveOperation, ref: NumberRef, opts: DeleteNumberOptions = {}): Promise<DeleteNumberResult> {
  return rule(
    async () => {
      const resolved = await resolveNumber(trx, ref);
      const numberId = resolved.id;
      // The number first, then (in a statement that starts after that lock) its conversations and
      // broadcasts: from here on nothing is added anywhere under the number until commit.
      const [number] = await runSql<WhatsappNumberRow>(trx, 'whatsapp/lock-number-row', { numberId });
      if (!number) throw new NotFoundError(`WhatsApp number ${resolved.phone_number} (id ${numberId}) was deleted meanwhile`);
      await runSql(trx, 'whatsapp/lock-number-children', { numberId });
      if (opts.expected) {
        const now = await numberCounts(trx, numberId);
        const changed = KINDS.filter((k) => now[k] !== opts.expected![k]);
        if (changed.length > 0) {
          throw new ConflictError(
            `WhatsApp number ${number.phone_number} changed since the preview (${changed.map((k) => `${k}: ${opts.expected![k]} shown, ${now[k]} now`).join(', ')}); nothing was deleted; run it again`,
            { details: { numberId, reason: 'changed', shown: opts.expected, now } },
          );
        }
      }
      const others = await otherReferrers(trx, numberId);
      const unarchived = others.filter(changesUnarchived);
      if (unarchived.length > 0) {
        throw new RefusedError(
          `deleting number ${number.phone_number} would also change ${describeReferrers(unarchived)}, which bookops cannot archive; nothing was deleted`,
          { hint: `deactivate the number instead (bookops whatsapp deactivate ${numberId}), or remove those rows yourself first`, details: { otherReferrers: unarchived } },
        );
      }
      const blocking = others.filter(blocksDelete);
      if (blocking.length > 0) {
        throw new ConflictError(`cannot delete number ${number.phone_number}: ${describeReferrers(blocking)} still reference it; nothing was deleted`, {
          hint: `remove those rows first, or deactivate the number (bookops whatsapp deactivate ${numberId})`,
          details: { otherReferrers: blocking },
        });
      }
      const deleted: NumberDeletionCounts = { bots: 0, conversations: 0, messages: 0, broadcasts: 0, recipients: 0 };
      let total = 0;
      let numberRow: WhatsappNumberRow = number;
      for (const step of STEPS) {
        const rows = await deleteArchived<WhatsappNumberRow>(trx, op, step.table, sqlText(TREE_WHERE[step.table]), { numberId });
        if (step.key) deleted[step.key] = rows.length;
        else numberRow = rows[0];
        total += rows.length;
      }
      return { number: numberRow, deleted, total, operationId: op.id };
    },
    {
      // A row of a table bookops does not know was added with a blocking key after the check.
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        new ConflictError(`cannot delete: rows of ${err.table ?? 'another table'} still reference it (${err.constraint ?? 'foreign key'}); nothing was deleted`, {
          cause: err,
        }),
    },
  );
}
