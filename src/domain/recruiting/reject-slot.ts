/**
 * The recruiter rejects a booking or takes the slot back for a reschedule (seeds 001/002); support
 * runs the same rule as `slots release`. Under the slot lock: the slot is freed (status free,
 * candidate cleared); its notification logs and reminder jobs are archived and deleted (the next
 * candidate starts clean, seed 002 P0); that candidate's earlier messages about the slot are
 * superseded (archived: see supersede-messages.ts), and the rejection message is enqueued once
 * for them. Rejecting again is not an error (seed 001): the slot is already free, and when the
 * caller names the candidate the enqueue returns the existing message as it is (sent or not)
 * instead of a duplicate.
 *
 * Everything the rule decides is decided once, in planRejectSlot; applyRejectSlot carries the
 * plan out after checking, under the slot's lock, that the slot is still as the plan saw it.
 */
import type { Knex } from 'knex';
import type { Applier } from '../../archive/applier.js';
import type { RowChange, ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { NotificationLogRow, ReminderJobRow, SlotRow } from '../../data/recruiting.repository.js';
import type { Db, Sql } from '../../data/sql.js';
import { ConflictError, UsageError } from '../../errors.js';
import { OUTBOX_TYPES } from '../../platform/messages.js';
import { enqueueOutbox, messageArchives, planEnqueue, shownEnqueue, type EnqueueInput, type EnqueueResult, type PlannedMessage } from '../outbox/enqueue.js';
import { applyChanges, archivesOf, previewed, statementsOf, tally, type PlannedChange, type PreviewOptions } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { optionalTgId, requireId } from '../validate.js';
import { describeSlot, expectedOf, lockSlot, requireAsShown, slotState, strip, type SlotState } from './slot.js';
import {
  describeSuperseded,
  previewSuperseded,
  supersedeChanges,
  supersededOf,
  supersededOnRelease,
  type SupersededMessage,
  type SupersedePreview,
} from './supersede-messages.js';
import { PREVIEW_ROWS } from '../preview-rows.js';

export type RejectReason = 'reject' | 'reschedule';

export interface RejectSlotInput {
  slotId: number;
  reason: RejectReason;
  /**
   * The candidate the rejection is for. Defaults to the slot's current candidate. Name it to
   * repeat a rejection of a slot that is already free (the message is then enqueued
   * idempotently); naming someone other than the slot's current candidate is refused.
   */
  candidateTgId?: number | null;
}

export interface RejectPlan extends PlanBase {
  slot: SlotState;
  reason: RejectReason;
  /** The slot is held (active, or it names a candidate): the rule frees it (a canceled slot keeps its status). */
  frees: boolean;
  /** The message the candidate gets (null: nobody held the slot and nobody was named). */
  message: (PlannedMessage & { candidateTgId: number }) | null;
  /** Their earlier outbox messages about the slot, which the rejection supersedes (archived). */
  superseded: SupersedePreview;
  changes: PlannedChange[];
  /** The enqueue of the message. */
  enqueue: EnqueueInput | null;
  steps: string[];
  statements: ShownStatement[];
}

export interface RejectSlotResult {
  slot: SlotRow;
  /** The slot was held and is released now (false: nobody held it). A canceled slot stays canceled. */
  freed: boolean;
  /** Who the rejection is for (null: the slot was free and nobody was named). */
  candidateTgId: number | null;
  archivedLogs: NotificationLogRow[];
  archivedReminders: ReminderJobRow[];
  /** The candidate's earlier messages about the slot, archived and deleted (supersede-messages.ts). */
  supersededMessages: SupersededMessage[];
  /** The rejection message (null when there is no candidate to tell). */
  outbox: EnqueueResult | null;
}

export async function planRejectSlot(db: Db, input: RejectSlotInput, opts: PreviewOptions = {}): Promise<RejectPlan> {
  const slotId = requireId('slotId', input.slotId);
  if (input.reason !== 'reject' && input.reason !== 'reschedule') {
    throw new UsageError(`reason must be 'reject' or 'reschedule', got ${JSON.stringify(input.reason)}`);
  }
  const named = optionalTgId('candidateTgId', input.candidateTgId);
  const slot = await slotState(db, slotId);
  // An active status or a candidate means someone holds it.
  const frees = slot.active || slot.candidate_tg_id !== null;
  if (named !== null && slot.candidate_tg_id !== null && slot.candidate_tg_id !== named) {
    throw new ConflictError(`slot ${slotId} is now held by candidate ${slot.candidate_tg_id}, not ${named}; nothing was changed`, {
      details: { slotId, heldBy: slot.candidate_tg_id, named },
    });
  }
  const candidateTgId = named ?? slot.candidate_tg_id;
  const type = rejectionType(input.reason);
  const supersededTypes = supersededOnRelease(frees);
  const enqueue = candidateTgId === null ? null : rejectionMessage(slot, candidateTgId, input.reason);
  const changes = await previewed(db, releaseChanges([{ slotId, candidateTgId }], frees, await recruiting.slotLogs(db)), opts);
  const superseded = opts.sample === undefined || candidateTgId === null ? { messages: 0, unsent: 0, inFlight: 0 } : await previewSuperseded(db, [{ slotId, candidateTgId }], supersededTypes);
  const message = enqueue && candidateTgId !== null ? { ...(await planEnqueue(db, enqueue, supersededTypes)), candidateTgId } : null;
  const empty = !frees && message === null && slot.logs === 0 && slot.reminder_jobs === 0 && superseded.messages === 0;
  const release = slot.active || slot.free ? 'free it, ' : `clear its candidate (it stays ${slot.status}), `;
  const supersede = superseded.messages ? `, archive ${describeSuperseded(superseded, `candidate ${candidateTgId}`)}` : '';
  const summary = empty
    ? `slot ${slot.id} is already free, with no notification logs or reminder jobs`
    : `release ${describeSlot(slot)}: ${frees ? release : ''}archive ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s)${supersede}` +
      (message ? `, and tell candidate ${message.candidateTgId} (${type})` : '');
  return {
    summary,
    empty,
    archives: tally(archivesOf(changes), messageArchives(message)),
    slot,
    reason: input.reason,
    frees,
    message,
    superseded,
    changes,
    enqueue,
    steps: [
      `lock slot ${slot.id}`,
      ...(frees ? [`archive the slot row, then clear the candidate${slot.active ? " and set status 'free'" : ''}`] : []),
      `archive and delete its ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s)`,
      ...(message ? [`archive and delete the ${superseded.messages} ${supersededTypes.join('/')} outbox message(s) of candidate ${message.candidateTgId} about this slot`] : []),
      ...(message ? [`enqueue ${type} for candidate ${message.candidateTgId} (once per key, whatever its status)`] : []),
    ],
    statements: [...statementsOf(db, changes), ...(enqueue && message ? shownEnqueue(db, enqueue, message.outcome) : [])],
  };
}

export function rejectionType(reason: RejectReason): string {
  return reason === 'reject' ? OUTBOX_TYPES.rejected : OUTBOX_TYPES.rescheduled;
}

/** The message a released candidate gets about their slot. */
export function rejectionMessage(slot: { id: number; start_utc: Date | string; recruiter_tg_id: number | string | null }, candidateTgId: number, reason: RejectReason): EnqueueInput {
  return {
    type: rejectionType(reason),
    bookingId: slot.id,
    candidateTgId,
    recruiterTgId: slot.recruiter_tg_id as EnqueueInput['recruiterTgId'],
    payload: { slot_id: slot.id, reason, start_utc: new Date(slot.start_utc).toISOString() },
  };
}

/**
 * What releasing slots changes, each change over all of them at once: the slots freed (when they
 * are held), their notification logs and reminder jobs, and each candidate's earlier messages
 * about their slot (a slot released with no candidate supersedes nothing). One release is a list
 * of one; slots resolve-duplicates passes a batch. `slotLogs`: how the plan reads their logs
 * (recruiting.slotLogs).
 */
export function releaseChanges(releases: Array<{ slotId: number; candidateTgId: number | null }>, frees: boolean, slotLogs: Sql): Array<RowChange & { role: string }> {
  const slotIds = releases.map((r) => r.slotId);
  const told = releases.filter((r): r is { slotId: number; candidateTgId: number } => r.candidateTgId !== null);
  return [
    ...(frees ? [{ role: 'slot', table: 'slots', change: 'update' as const, where: recruiting.slots(), set: recruiting.free(), params: { slotIds } }] : []),
    { role: 'logs', table: 'notification_logs', change: 'delete' as const, where: slotLogs, params: { slotIds } },
    { role: 'jobs', table: 'slot_reminder_jobs', change: 'delete' as const, where: recruiting.slotJobs(), params: { slotIds } },
    ...(told.length ? [{ role: 'superseded', ...supersedeChanges(told, supersededOnRelease(frees)) }] : []),
  ];
}

export async function applyRejectSlot(trx: Knex.Transaction, op: ArchiveOperation, plan: RejectPlan): Promise<RejectSlotResult> {
  return translated(async () => {
    const locked = await lockSlot(trx, plan.slot.id);
    // The slot as shown (and confirmed): refused if it changed hands or status since.
    requireAsShown(locked, expectedOf(plan.slot));
    const done = await applyChanges(trx, op, plan.changes);
    const slot = plan.frees ? (await recruiting.slotRow(trx, plan.slot.id))! : strip(locked);
    const outbox = plan.enqueue ? await enqueueOutbox(trx, plan.enqueue, op) : null;
    return {
      slot,
      freed: plan.frees,
      candidateTgId: plan.message?.candidateTgId ?? null,
      archivedLogs: done.logs.rows as unknown as NotificationLogRow[],
      archivedReminders: done.jobs.rows as unknown as ReminderJobRow[],
      supersededMessages: done.superseded ? supersededOf(done.superseded.rows as never) : [],
      outbox,
    };
  });
}

/** The rule as the bot calls it, in its transaction: decided and carried out under the slot's lock. */
export async function rejectSlot(trx: Knex.Transaction, op: ArchiveOperation, input: RejectSlotInput): Promise<RejectSlotResult> {
  return translated(async () => {
    await lockSlot(trx, requireId('slotId', input.slotId));
    return applyRejectSlot(trx, op, await planRejectSlot(trx, input));
  });
}

/** `slots release`: the reject rule for a slot support names, with a preview and a confirmation. */
export const releaseSlot: DestructiveRule<Omit<RejectSlotInput, 'reason'> & { reason?: RejectReason; sample?: number }, RejectPlan, RejectSlotResult> = {
  action: 'slots.release',
  doing: 'releasing the slot',
  async plan(db, input) {
    await requireModule(db, 'recruiting');
    // A release is a reschedule unless support says it is a rejection.
    return planRejectSlot(db, { ...input, reason: input.reason ?? 'reschedule' }, { sample: input.sample ?? PREVIEW_ROWS });
  },
  apply: (applier: Applier, plan) => applier.transaction((trx, op) => applyRejectSlot(trx, op, plan)),
  summary: (r, plan) => ({ slotId: plan.slot.id, reason: plan.reason, candidateTgId: r.candidateTgId, outboxId: r.outbox?.row.id ?? null }),
};

