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
import { NUMBER_TREE, type OtherReferrer } from './preview-deletion.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberDeletionCounts, NumberRef, WhatsappNumberRow } from './types.js';

export interface DeleteNumberResult {
  number: WhatsappNumberRow;
  /** Rows archived and deleted per kind (equal to the archive's rows per table). */
  deleted: NumberDeletionCounts;
  total: number;
  operationId: number;
}

const STEPS: { table: (typeof NUMBER_TREE)[number]; where: string; key: keyof NumberDeletionCounts | null }[] = [
  { table: 'whatsapp_messages', where: 'whatsapp/where-messages-of-number', key: 'messages' },
  { table: 'conversations', where: 'whatsapp/where-of-number', key: 'conversations' },
  { table: 'broadcast_recipients', where: 'whatsapp/where-recipients-of-number', key: 'recipients' },
  { table: 'broadcasts', where: 'whatsapp/where-of-number', key: 'broadcasts' },
  { table: 'bots', where: 'whatsapp/where-of-number', key: 'bots' },
  { table: 'whatsapp_numbers', where: 'whatsapp/where-number', key: null },
];

export async function deleteNumber(trx: Knex.Transaction, op: ArchiveOperation, ref: NumberRef): Promise<DeleteNumberResult> {
  return rule(
    async () => {
      const resolved = await resolveNumber(trx, ref);
      const numberId = resolved.id;
      const [number] = await runSql<WhatsappNumberRow>(trx, 'whatsapp/lock-number', { numberId });
      if (!number) throw new NotFoundError(`WhatsApp number ${resolved.phone_number} (id ${numberId}) was deleted meanwhile`);
      const others = await runSql<OtherReferrer>(trx, 'whatsapp/other-referrers', { treeTables: [...NUMBER_TREE] });
      const unsafe = others.filter((o) => o.on_delete === 'cascade' || o.on_delete === 'set null' || o.on_delete === 'set default');
      if (unsafe.length > 0) {
        throw new RefusedError(
          `deleting number ${number.phone_number} would ${unsafe.map((o) => `${o.on_delete} rows of ${o.table_name} (${o.constraint_name})`).join(', ')}, which bookops cannot archive; nothing was deleted`,
          { hint: 'deactivate the number instead, or remove those rows yourself first', details: { otherReferrers: unsafe } },
        );
      }
      const deleted: NumberDeletionCounts = { bots: 0, conversations: 0, messages: 0, broadcasts: 0, recipients: 0 };
      let total = 0;
      let numberRow: WhatsappNumberRow = number;
      for (const step of STEPS) {
        const rows = await deleteArchived<WhatsappNumberRow>(trx, op, step.table, sqlText(step.where), { numberId });
        if (step.key) deleted[step.key] = rows.length;
        else numberRow = rows[0];
        total += rows.length;
      }
      const { locked_conversations: _c, locked_broadcasts: _b, ...clean } = numberRow as WhatsappNumberRow & Record<string, unknown>;
      return { number: clean as WhatsappNumberRow, deleted, total, operationId: op.id };
    },
    {
      // A table bookops does not know still references a row with a blocking key.
      [SQLSTATE.FOREIGN_KEY_VIOLATION]: (err) =>
        new ConflictError(`cannot delete: rows of ${err.table ?? 'another table'} still reference it (${err.constraint ?? 'foreign key'}); nothing was deleted`, {
          cause: err,
        }),
    },
  );
}
