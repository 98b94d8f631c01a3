/**
 * Gives a slot to another candidate (support's `slots reassign`): the current holder's booking
 * is taken back as a reschedule (they are told once), the new candidate reserves it, and the
 * recruiter's approval is sent to them. All three are the ordinary rules, in the caller's
 * transaction, so logs, reminder jobs and outbox follow exactly as in the bot's own flow.
 */
import type { Knex } from 'knex';
import { archiveBeforeUpdate, type ArchiveOperation } from '../../archive/archive.js';
import { sqlText } from '../../data/sql-files.js';
import { requireId, requireTgId } from '../validate.js';
import { approveSlot, type ApproveSlotResult } from './approve-slot.js';
import { rejectSlot, type RejectSlotResult } from './reject-slot.js';
import { reserveSlot, type ReserveSlotResult } from './reserve-slot.js';
import { lockSlot, requireAsShown, type ExpectedSlot } from './slot-lock.js';

export interface ReassignSlotResult {
  /** The previous holder's reschedule (null: the slot was free, or already this candidate's). */
  released: RejectSlotResult | null;
  reserved: ReserveSlotResult;
  approved: ApproveSlotResult;
}

export async function reassignSlot(
  trx: Knex.Transaction,
  op: ArchiveOperation,
  input: {
    slotId: number;
    candidateTgId: number;
    candidateName?: string | null;
    /** The slot as the caller showed it (support's confirmation): refused if it changed since. */
    expected?: ExpectedSlot;
  },
): Promise<ReassignSlotResult> {
  const slotId = requireId('slotId', input.slotId);
  const candidateTgId = requireTgId('candidateTgId', input.candidateTgId);
  const current = await lockSlot(trx, slotId);
  requireAsShown(current, input.expected);
  const released =
    current.candidate_tg_id !== null && current.candidate_tg_id !== candidateTgId
      ? await rejectSlot(trx, op, { slotId, reason: 'reschedule' })
      : null;
  // The reserve rule archives nothing (the bot calls it without an operation): the slot as it is
  // before the reservation is archived here, or a restore would only go back to the reserved state
  // (a free slot that still names this candidate is reserved too). Not when the reservation
  // changes nothing (the candidate holds it already), nor after a release, which archived the
  // slot as it was before it.
  const holdsIt = current.active && current.candidate_tg_id === candidateTgId;
  if (released === null && !holdsIt) {
    await archiveBeforeUpdate(trx, op, 'slots', sqlText('recruiting/where-slot'), { slotId });
  }
  const reserved = await reserveSlot(trx, { slotId, candidateTgId, candidateName: input.candidateName });
  const approved = await approveSlot(trx, op, { slotId });
  return { released, reserved, approved };
}
