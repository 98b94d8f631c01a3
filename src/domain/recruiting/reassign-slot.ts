/**
 * Gives a slot to a candidate (support's `slots reassign`): the current holder's booking is taken
 * back as a reschedule (they are told once), the candidate reserves it, and the recruiter's
 * approval is sent to them. All three are the ordinary rules, in one transaction, so logs,
 * reminder jobs and outbox follow exactly as in the bot's own flow. When the candidate already
 * holds the slot only the approval runs: the re-notification a stale log of the previous
 * candidate silenced (seed 002); an approval of theirs still queued (pending) is left as it is,
 * so running it again while the approval waits is "nothing to do" (docs/SUPPORT.md).
 */
import type { Knex } from 'knex';
import type { Applier } from '../../archive/applier.js';
import type { ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { ConflictError } from '../../errors.js';
import { OUTBOX_TYPES } from '../../platform/messages.js';
import { isStatus, OUTBOX_PENDING, OUTBOX_SENT, SLOT_PENDING } from '../../platform/statuses.js';
import { applyChanges, archivesOf, previewed, statementsOf, tally, type PlannedChange, type PreviewOptions } from '../planned.js';
import { requireModule } from '../require-module.js';
import type { DestructiveRule, PlanBase } from '../rule.js';
import { optionalText, requireId, requireTgId } from '../validate.js';
import { applyApproveSlot, planApproveSlot, type ApprovePlan, type ApproveSlotResult } from './approve-slot.js';
import { applyRejectSlot, planRejectSlot, type RejectPlan, type RejectSlotResult } from './reject-slot.js';
import { reserveSlot, shownReserve, type ReserveSlotResult } from './reserve-slot.js';
import { describeSlot, expectedOf, lockSlot, requireAsShown, slotState, strip, type SlotState } from './slot.js';
import { describeSuperseded, type SupersedePreview } from './supersede-messages.js';
import { PREVIEW_ROWS } from '../preview-rows.js';
import { asInvoked } from '../../invocation.js';

export interface ReassignInput {
  slotId: number;
  candidateTgId: number;
  candidateName?: string | null;
}

export interface ReassignPlan extends PlanBase {
  slot: SlotState;
  candidateTgId: number;
  candidateName: string | null;
  /** The candidate already holds the slot: only the approval (re-notification) runs. */
  renotifyOnly: boolean;
  previousCandidateTgId: number | null;
  /** The slot's holder is someone else: they are released first (a reschedule). */
  releases: boolean;
  /** The approval books the slot (it was free, released, or pending). */
  books: boolean;
  /** Earlier outbox messages about the slot the rules will supersede (archived): the previous holder's and the candidate's. */
  superseded: { previous: SupersedePreview | null; candidate: SupersedePreview };
  release: RejectPlan | null;
  /** The slot is archived before the reservation (which archives nothing of its own), unless a release did already. */
  reserve: PlannedChange | null;
  approve: ApprovePlan;
  changes: PlannedChange[];
  steps: string[];
  statements: ShownStatement[];
}

export interface ReassignSlotResult {
  /** The previous holder's reschedule (null: the slot was free, or already this candidate's). */
  released: RejectSlotResult | null;
  reserved: ReserveSlotResult;
  approved: ApproveSlotResult;
}

export async function planReassignSlot(db: Db, input: ReassignInput, opts: PreviewOptions = {}): Promise<ReassignPlan> {
  const candidateTgId = requireTgId('--candidate', input.candidateTgId);
  const candidateName = optionalText('candidateName', input.candidateName, 255);
  const slot = await slotState(db, requireId('slot id', input.slotId));
  if (!slot.free && !slot.active) {
    throw new ConflictError(`slot ${slot.id} has status '${slot.status}'; only a free or held slot can be reassigned; nothing was changed`, {
      details: { slotId: slot.id, status: slot.status },
    });
  }
  const renotifyOnly = slot.active && slot.candidate_tg_id === candidateTgId;
  if (!renotifyOnly) {
    const other = await recruiting.candidateOtherSlot(db, slot.id, candidateTgId);
    if (other) {
      throw new ConflictError(
        `candidate ${candidateTgId} already holds slot ${other.id} (${other.status}) of this recruiter (one active slot per recruiter); nothing was changed`,
        { hint: `release it first: ${asInvoked(`slots release ${other.id}`)}`, details: { slotId: slot.id, candidateTgId, otherSlotId: other.id, reason: 'holds_another' } },
      );
    }
  }
  const previous = slot.candidate_tg_id;
  const releases = previous !== null && previous !== candidateTgId;
  const release = releases ? await planRejectSlot(db, { slotId: slot.id, reason: 'reschedule' }, opts) : null;
  // The reservation changes the slot without archiving it: archived here, unless the release did.
  const reserve =
    !renotifyOnly && !releases
      ? (await previewed(db, [{ role: 'reserve', table: 'slots', change: 'update', where: recruiting.slot(), params: { slotId: slot.id } }], opts))[0]
      : null;
  const approve = await planApproveSlot(
    db,
    {
      slotId: slot.id,
      ...(renotifyOnly
        ? { leavePending: true }
        : { as: { candidateTgId, status: SLOT_PENDING, recruiterTgId: slot.recruiter_tg_id, startUtc: slot.start_utc, durationMin: slot.duration_min, afterRelease: releases } }),
    },
    opts,
  );
  const books = approve.books;
  const superseded = { previous: release ? release.superseded : null, candidate: approve.superseded };
  // Re-notifying: an approval already sent, or still queued, stays as it is: not sent twice.
  const approvalThere = renotifyOnly && !books && approve.message.outcome === 'exists';
  const status = approve.message.existing?.status ?? '';
  const approvalState = isStatus(status, OUTBOX_PENDING)
    ? `is still queued (${status}) and is not enqueued again`
    : isStatus(status, OUTBOX_SENT)
      ? 'was sent already and is not sent again'
      : `is in the outbox already (${status}) and is not enqueued again`;
  const archived = [
    ...(superseded.previous?.messages ? [describeSuperseded(superseded.previous, `candidate ${previous}`)] : []),
    ...(superseded.candidate.messages ? [describeSuperseded(superseded.candidate, `candidate ${candidateTgId}`)] : []),
  ];
  const summary = renotifyOnly
    ? approvalThere
      ? `re-notify the candidate of ${describeSlot(slot)}: their approval (${OUTBOX_TYPES.approved}) ${approvalState}; archive notification logs of anyone else, record theirs, schedule reminders`
      : `re-send the approval of ${describeSlot(slot)} to its candidate: archive notification logs of anyone else, record theirs, enqueue ${OUTBOX_TYPES.approved}, schedule reminders`
    : `reassign ${describeSlot(slot)} to candidate ${candidateTgId}` +
      (releases ? `: candidate ${previous} is told (${OUTBOX_TYPES.rescheduled}),` : ':') +
      ` ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s) archived, candidate ${candidateTgId} gets the approval (${OUTBOX_TYPES.approved}) and reminders` +
      (archived.length ? `; archived too: ${archived.join(', ')}` : '');
  const changes = [...(release?.changes ?? []), ...(reserve ? [reserve] : []), ...approve.changes];
  return {
    summary,
    empty: false,
    archives: tally(release?.archives ?? {}, archivesOf(reserve ? [reserve] : []), approve.archives),
    slot,
    candidateTgId,
    candidateName,
    renotifyOnly,
    previousCandidateTgId: previous,
    releases,
    books,
    superseded,
    release,
    reserve,
    approve,
    changes,
    steps: [
      ...(releases
        ? [`reject (reschedule) for candidate ${previous}: slot freed, its logs and reminder jobs archived, ${superseded.previous?.messages ?? 0} earlier outbox message(s) of that candidate archived, ${OUTBOX_TYPES.rescheduled} enqueued`]
        : []),
      ...(!renotifyOnly ? [`reserve for candidate ${candidateTgId} (refused if they hold another active slot of this recruiter)`] : []),
      `approve: status booked, stale logs archived, ${superseded.candidate.messages} earlier outbox message(s) of candidate ${candidateTgId} archived, slot_approved log of candidate ${candidateTgId} recorded, ${OUTBOX_TYPES.approved} enqueued once, reminder jobs scheduled`,
    ],
    statements: [
      ...(release?.statements ?? []),
      ...(reserve ? statementsOf(db, [reserve]) : []),
      ...(!renotifyOnly ? [shownReserve(db, { slotId: slot.id, candidateTgId, candidateName, candidateTz: null })] : []),
      ...approve.statements,
    ],
  };
}

export async function applyReassignSlot(trx: Knex.Transaction, op: ArchiveOperation, plan: ReassignPlan): Promise<ReassignSlotResult> {
  return translated(async () => {
    const locked = await lockSlot(trx, plan.slot.id);
    // The slot as shown (and confirmed): refused if it changed hands or status since.
    requireAsShown(locked, expectedOf(plan.slot));
    const released = plan.release ? await applyRejectSlot(trx, op, plan.release) : null;
    if (plan.reserve) await applyChanges(trx, op, [plan.reserve]);
    const reserved = plan.renotifyOnly
      ? { slot: strip(locked), reserved: false }
      : await reserveSlot(trx, { slotId: plan.slot.id, candidateTgId: plan.candidateTgId, candidateName: plan.candidateName });
    const approved = await applyApproveSlot(trx, op, plan.approve);
    return { released, reserved, approved };
  });
}

/** The rule as a caller with a transaction runs it: decided and carried out under the slot's lock. */
export async function reassignSlot(trx: Knex.Transaction, op: ArchiveOperation, input: ReassignInput): Promise<ReassignSlotResult> {
  return translated(async () => {
    await lockSlot(trx, requireId('slotId', input.slotId));
    return applyReassignSlot(trx, op, await planReassignSlot(trx, input));
  });
}

/** `slots reassign`: with a preview and a confirmation. */
export const reassignSlotRule: DestructiveRule<ReassignInput & { sample?: number }, ReassignPlan, ReassignSlotResult> = {
  action: 'slots.reassign',
  doing: 'reassigning the slot',
  async plan(db, input) {
    await requireModule(db, 'recruiting');
    return planReassignSlot(db, input, { sample: input.sample ?? PREVIEW_ROWS });
  },
  apply: (applier: Applier, plan) => applier.transaction((trx, op) => applyReassignSlot(trx, op, plan)),
  summary: (r, plan) => ({
    slotId: plan.slot.id,
    from: plan.previousCandidateTgId,
    to: plan.candidateTgId,
    outboxIds: [r.released?.outbox?.row.id, r.approved.outbox.row.id].filter((x) => x !== undefined),
  }),
};

