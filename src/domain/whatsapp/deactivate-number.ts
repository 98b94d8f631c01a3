/**
 * Deactivating a number and its bots: the reversible alternative seed 003 recommends for a
 * number in use. The rows are archived before the update (undo: archive restore).
 */
import type { Knex } from 'knex';
import { NotFoundError } from '../../errors.js';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { rule } from '../db.js';
import { resolveNumber } from './resolve-number.js';
import type { NumberRef, WhatsappNumberRow } from './types.js';

export interface DeactivateNumberResult {
  number: WhatsappNumberRow;
  /** The number was active and is not now (false: it was already inactive). */
  numberDeactivated: boolean;
  botsDeactivated: number;
}

export async function deactivateNumber(trx: Knex.Transaction, op: ArchiveOperation, ref: NumberRef): Promise<DeactivateNumberResult> {
  return rule(async () => {
    const resolved = await resolveNumber(trx, ref);
    const numberId = resolved.id;
    const [locked] = await runSql<WhatsappNumberRow>(trx, 'whatsapp/lock-number-row', { numberId });
    if (!locked) throw new NotFoundError(`WhatsApp number ${resolved.phone_number} (id ${numberId}) was deleted meanwhile`);
    await archiveBeforeUpdate(trx, op, 'whatsapp_numbers', sqlText('whatsapp/where-active-number'), { numberId });
    await archiveBeforeUpdate(trx, op, 'bots', sqlText('whatsapp/where-active-bots'), { numberId });
    const [changed] = await runSql<{ numbers: number; bots: number }>(trx, 'whatsapp/deactivate-number', { numberId });
    const [number] = await runSql<WhatsappNumberRow>(trx, 'whatsapp/lock-number-row', { numberId });
    return { number, numberDeactivated: changed.numbers === 1, botsDeactivated: changed.bots };
  });
}
