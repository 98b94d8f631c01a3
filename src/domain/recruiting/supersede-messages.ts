/**
 * A decision about a slot that changes it supersedes the candidate's earlier outbox messages
 * about that slot: archived and deleted, whatever their status, so that
 * - one still pending is not sent any more: the worker sends by next_retry_at, not in decision
 *   order, so an approval waiting for a retry would reach a candidate after their rejection;
 * - one already sent does not stand in for the new decision: the outbox key (type, booking,
 *   candidate) returns an existing row as it is (seed 001), so a candidate rescheduled and
 *   approved again, or released a second time, would never be told.
 * Which messages: a release that frees the slot supersedes all of them (approval, confirmation,
 * earlier rejections); an approval that books it, likewise. Repeating a decision (rejecting a
 * slot already free, approving one already booked) supersedes only the opposite decision's
 * messages, so it enqueues nothing twice. The archive keeps every row (restore brings it back).
 */
import type { RowChange } from '../../archive/changes.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { OUTBOX_TYPES } from '../../platform/messages.js';
import { isStatus, OUTBOX_PENDING } from '../../platform/statuses.js';

export interface SupersededMessage {
  id: number;
  type: string;
  status: string;
  candidate_tg_id: number;
  created_at: Date;
  /** It was pending and no worker held it: it will never be sent. */
  undelivered: boolean;
  /** It was pending and a worker held it (locked_at): it may be arriving as this runs. */
  inFlight: boolean;
}

/** The messages of an approval: "approved, please confirm", and the confirmation's own. */
export const APPROVAL_MESSAGES = [OUTBOX_TYPES.approved, OUTBOX_TYPES.candidateConfirmed];
/** The messages of a rejection or reschedule. */
export const REJECTION_MESSAGES = [OUTBOX_TYPES.rejected, OUTBOX_TYPES.rescheduled];
export const DECISION_MESSAGES = [...APPROVAL_MESSAGES, ...REJECTION_MESSAGES];

/** What a release supersedes: everything when it frees the slot, else the approval's messages. */
export function supersededOnRelease(freesTheSlot: boolean): readonly string[] {
  return freesTheSlot ? DECISION_MESSAGES : APPROVAL_MESSAGES;
}

/** What an approval supersedes: everything when it books the slot, else the rejection's messages. */
export function supersededOnApprove(booksTheSlot: boolean): readonly string[] {
  return booksTheSlot ? DECISION_MESSAGES : REJECTION_MESSAGES;
}

/** The change that archives and deletes a candidate's earlier messages about a slot, of `types`. */
export function supersedeChange(slotId: number, candidateTgId: number, types: readonly string[]): RowChange {
  return supersedeChanges([{ slotId, candidateTgId }], types);
}

/** The same for several (slot, candidate) pairs at once: one statement for a batch of releases. */
export function supersedeChanges(pairs: Array<{ slotId: number; candidateTgId: number }>, types: readonly string[]): RowChange {
  return {
    table: 'outbox_notifications',
    change: 'delete',
    where: recruiting.supersededMessages(),
    params: { slotIds: pairs.map((p) => p.slotId), candidateTgIds: pairs.map((p) => p.candidateTgId), types: [...types] },
    of: pairs.length === 1 ? `earlier messages of candidate ${pairs[0].candidateTgId}` : `earlier messages of ${pairs.length} candidates about their released slots`,
  };
}

/** The messages a supersede change deleted, oldest first, each saying whether it was on its way. */
export function supersededOf(rows: Array<{ id: number; type: string; status: string; candidate_tg_id: number; created_at: Date; locked_at: Date | null }>): SupersededMessage[] {
  return [...rows]
    .sort((a, b) => a.id - b.id)
    .map(({ id, type, status, candidate_tg_id, created_at, locked_at }) => {
      const pending = isStatus(status, OUTBOX_PENDING);
      return { id, type, status, candidate_tg_id: Number(candidate_tg_id), created_at, undelivered: pending && locked_at === null, inFlight: pending && locked_at !== null };
    });
}

export interface SupersedePreview {
  messages: number;
  unsent: number;
  inFlight: number;
}

/** Previews: what decisions on these (slot, candidate) pairs would supersede, counted in one query. */
export async function previewSuperseded(db: Db, pairs: Array<{ slotId: number; candidateTgId: number }>, types: readonly string[]): Promise<SupersedePreview> {
  if (pairs.length === 0) return { messages: 0, unsent: 0, inFlight: 0 };
  const row = await recruiting.decisionMessages(db, pairs, types);
  return { messages: row.messages, unsent: row.unsent, inFlight: row.in_flight };
}

/** The same counts for messages already superseded (a result). */
export function countSuperseded(messages: SupersededMessage[]): SupersedePreview {
  return { messages: messages.length, unsent: messages.filter((m) => m.undelivered).length, inFlight: messages.filter((m) => m.inFlight).length };
}

/** Several counts as one. */
export function sumSuperseded(counts: SupersedePreview[]): SupersedePreview {
  return counts.reduce((a, b) => ({ messages: a.messages + b.messages, unsent: a.unsent + b.unsent, inFlight: a.inFlight + b.inFlight }), { messages: 0, unsent: 0, inFlight: 0 });
}

/** "3 earlier message(s) of candidate 5 (1 not sent yet: never will be; 1 being sent by a worker now)". */
export function describeSuperseded(p: SupersedePreview, whose: string): string {
  const notes = [
    ...(p.unsent ? [`${p.unsent} not sent yet: never will be`] : []),
    ...(p.inFlight ? [`${p.inFlight} being sent by a worker now: may still arrive`] : []),
  ];
  return `${p.messages} earlier outbox message(s) of ${whose}${notes.length ? ` (${notes.join('; ')})` : ''}`;
}
