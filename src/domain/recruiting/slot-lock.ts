import type { Knex } from 'knex';
import { ConflictError, NotFoundError } from '../../errors.js';
import { runSql } from '../../data/sql-files.js';
import { params as statusParams } from '../statuses.js';
import type { LockedSlot } from './types.js';

/** Locks a slot for a decision about it (approve, reject, confirm); NotFoundError if missing. */
export async function lockSlot(trx: Knex.Transaction, slotId: number): Promise<LockedSlot> {
  const [slot] = await runSql<LockedSlot>(trx, 'recruiting/lock-slot', { slotId, slotActive: statusParams.slotActive });
  if (!slot) throw new NotFoundError(`slot ${slotId} does not exist`);
  return slot;
}

/** The slot as a caller showed it before asking for a confirmation: who held it, in which status. */
export interface ExpectedSlot {
  candidateTgId: number | null;
  status: string;
}

/**
 * Refuses (ConflictError, nothing changed) when the locked slot is no longer as the caller
 * showed it: a confirmation given for "free" or "booked by A" must not act on a slot someone
 * booked, or handed to B, while the prompt was open.
 */
export function requireAsShown(slot: LockedSlot, expected: ExpectedSlot | undefined): void {
  if (!expected) return;
  const holder = slot.candidate_tg_id === null ? null : Number(slot.candidate_tg_id);
  if (holder === expected.candidateTgId && slot.status === expected.status) return;
  const state = (status: string, candidate: number | null) => `${status}${candidate === null ? '' : ` by candidate ${candidate}`}`;
  throw new ConflictError(
    `slot ${slot.id} changed since it was shown: it was ${state(expected.status, expected.candidateTgId)}, it is ${state(slot.status, holder)} now; nothing was changed`,
    {
      hint: 'run the command again to see the slot as it is',
      details: { slotId: slot.id, reason: 'changed', shown: expected, now: { candidateTgId: holder, status: slot.status } },
    },
  );
}
