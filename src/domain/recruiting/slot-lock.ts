import type { Knex } from 'knex';
import { NotFoundError } from '../../errors.js';
import { runSql } from '../../data/sql-files.js';
import { params as statusParams } from '../statuses.js';
import type { LockedSlot } from './types.js';

/** Locks a slot for a decision about it (approve, reject, confirm); NotFoundError if missing. */
export async function lockSlot(trx: Knex.Transaction, slotId: number): Promise<LockedSlot> {
  const [slot] = await runSql<LockedSlot>(trx, 'recruiting/lock-slot', { slotId, slotActive: statusParams.slotActive });
  if (!slot) throw new NotFoundError(`slot ${slotId} does not exist`);
  return slot;
}
