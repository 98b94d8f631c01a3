/**
 * One recruiting slot in a decision: locked first (approve, reject and confirm are serialised on
 * it), and, when a person confirmed a plan, still as the plan showed it.
 */
import type { Knex } from 'knex';
import * as recruiting from '../../data/recruiting.repository.js';
import type { LockedSlot, SlotState } from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { ConflictError, NotFoundError } from '../../errors.js';
import { requireId } from '../validate.js';

export type { LockedSlot, SlotRow, SlotState } from '../../data/recruiting.repository.js';

/** Locks a slot for a decision about it; NotFoundError if missing. */
export async function lockSlot(trx: Knex.Transaction, slotId: number): Promise<LockedSlot> {
  const slot = await recruiting.lockSlot(trx, slotId);
  if (!slot) throw new NotFoundError(`slot ${slotId} does not exist`);
  return slot;
}

/** What support sees of a slot before a release or reassign; NotFoundError if missing. */
export async function slotState(db: Db, slotId: number): Promise<SlotState> {
  requireId('slot id', slotId);
  const slot = await recruiting.slotState(db, slotId);
  if (!slot) throw new NotFoundError(`slot ${slotId} does not exist`);
  return slot;
}

/** The slot as a plan showed it: who held it, in which status. */
export interface ExpectedSlot {
  candidateTgId: number | null;
  status: string;
}

export function expectedOf(slot: { candidate_tg_id: number | null; status: string }): ExpectedSlot {
  return { candidateTgId: slot.candidate_tg_id, status: slot.status };
}

/**
 * Refuses (ConflictError, nothing changed) when the locked slot is no longer as the plan showed
 * it: a confirmation given for "free" or "booked by A" must not act on a slot someone booked, or
 * handed to B, while the prompt was open.
 */
export function requireAsShown(slot: LockedSlot, expected: ExpectedSlot): void {
  const holder = slot.candidate_tg_id;
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

/** "slot 12 (recruiter Anna, 2026-11-25 17:00 UTC, booked by candidate 5512345678)" */
export function describeSlot(s: SlotState): string {
  const when = new Date(s.start_utc).toISOString().slice(0, 16).replace('T', ' ');
  const who = s.candidate_tg_id === null ? s.status : `${s.status} by candidate ${s.candidate_tg_id}${s.candidate_fio ? ` (${s.candidate_fio})` : ''}`;
  return `slot ${s.id} (recruiter ${s.recruiter}, ${when} UTC, ${who})`;
}

/** A LockedSlot without the lock query's extra columns. */
export function strip(slot: recruiting.SlotRow): recruiting.SlotRow {
  const { recruiter_tg_id: _r, active: _a, ...rest } = slot as recruiting.SlotRow & { recruiter_tg_id?: unknown; active?: unknown };
  return rest;
}
