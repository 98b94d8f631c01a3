/**
 * bookops slots reassign <id> --candidate <tg id>: gives a slot to a candidate through the
 * reject / reserve / approve rules (reassignSlot, seed 002), so the previous holder is told, the
 * stale logs and reminder jobs go, and the NEW candidate gets the approval, a log of their own
 * and reminders. When the candidate already holds the slot only the approval runs: the
 * re-notification a stale log of the previous candidate silenced.
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { runSql } from '../../data/sql-files.js';
import { ConflictError } from '../../errors.js';
import { reassignSlot, type ReassignSlotResult } from '../../domain/recruiting/index.js';
import { OUTBOX_TYPES } from '../../domain/recruiting/notification-types.js';
import { SLOT_PENDING, params as statusParams } from '../../domain/statuses.js';
import {
  countSuperseded,
  describeSuperseded,
  previewSuperseded,
  supersededOnApprove,
  supersededOnRelease,
  type SupersedePreview,
} from '../../domain/recruiting/supersede-messages.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { releasedChildren, slotRow, staleForCandidate, supersededRows } from './slot-changes.js';
import { describeSlot, slotState, type SlotState } from './slot-state.js';
import { requireTgId } from '../../domain/validate.js';

export interface ReassignOptions {
  slot: number;
  candidate: number;
  name?: string;
  /** Rows shown per table by --dry-run. */
  sample?: number;
}

export interface ReassignPlan extends ShownPlan {
  slot: SlotState;
  candidateTgId: number;
  /** The candidate already holds the slot: only the approval (re-notification) runs. */
  renotifyOnly: boolean;
  previousCandidateTgId: number | null;
  /** Earlier outbox messages about the slot the rules will supersede (archived): the previous holder's and the candidate's. */
  superseded: { previous: SupersedePreview | null; candidate: SupersedePreview };
}

export type ReassignResult = DestructiveResult<ReassignPlan, ReassignSlotResult>;

export async function run(ctx: Context, opts: ReassignOptions): Promise<ReassignResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  requireTgId('--candidate', opts.candidate);
  const slot = await slotState(db, opts.slot);
  if (!slot.free && !slot.active) {
    throw new ConflictError(`slot ${slot.id} has status '${slot.status}'; only a free or held slot can be reassigned; nothing was changed`, {
      details: { slotId: slot.id, status: slot.status },
    });
  }
  const renotifyOnly = slot.active && slot.candidate_tg_id === opts.candidate;
  if (!renotifyOnly) {
    const [other] = await runSql<{ id: number; status: string }>(db, 'support/candidate-other-slot', {
      slotId: slot.id,
      candidateTgId: opts.candidate,
      slotActive: statusParams.slotActive,
    });
    if (other) {
      throw new ConflictError(
        `candidate ${opts.candidate} already holds slot ${other.id} (${other.status}) of this recruiter (one active slot per recruiter); nothing was changed`,
        { hint: `release it first: bookops slots release ${other.id}`, details: { slotId: slot.id, candidateTgId: opts.candidate, otherSlotId: other.id, reason: 'holds_another' } },
      );
    }
  }
  const previous = slot.candidate_tg_id;
  // As reassignSlot decides: the holder is released when there is one and it is someone else.
  const releases = !renotifyOnly && previous !== null && previous !== opts.candidate;
  // As the rules will decide: the release frees the slot; the approval books it unless it is already booked.
  const books = !renotifyOnly || slot.status.toLowerCase() === SLOT_PENDING;
  const superseded = {
    previous: releases && previous !== null ? await previewSuperseded(db, [{ slotId: slot.id, candidateTgId: previous }], supersededOnRelease(true)) : null,
    candidate: await previewSuperseded(db, [{ slotId: slot.id, candidateTgId: opts.candidate }], supersededOnApprove(books)),
  };
  // Re-notifying: an approval already sent is returned as it is by the outbox, not sent twice.
  const approval = renotifyOnly && !books ? await previewSuperseded(db, [{ slotId: slot.id, candidateTgId: opts.candidate }], [OUTBOX_TYPES.approved]) : null;
  const approvalSent = approval !== null && approval.messages > approval.unsent + approval.inFlight;
  const archived = [
    ...(superseded.previous?.messages ? [describeSuperseded(superseded.previous, `candidate ${previous}`)] : []),
    ...(superseded.candidate.messages ? [describeSuperseded(superseded.candidate, `candidate ${opts.candidate}`)] : []),
  ];
  const summary = renotifyOnly
    ? approvalSent
      ? `re-notify the candidate of ${describeSlot(slot)}: their approval (${OUTBOX_TYPES.approved}) was sent already and is not sent again; archive notification logs of anyone else, record theirs, schedule reminders`
      : `re-send the approval of ${describeSlot(slot)} to its candidate: archive notification logs of anyone else, record theirs, enqueue ${OUTBOX_TYPES.approved}, schedule reminders`
    : `reassign ${describeSlot(slot)} to candidate ${opts.candidate}` +
      (releases ? `: candidate ${previous} is told (${OUTBOX_TYPES.rescheduled}),` : ':') +
      ` ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s) archived, candidate ${opts.candidate} gets the approval (${OUTBOX_TYPES.approved}) and reminders` +
      (archived.length ? `; archived too: ${archived.join(', ')}` : '');
  const sample = opts.sample ?? 20;
  const plan: ReassignPlan = {
    summary,
    slot,
    candidateTgId: opts.candidate,
    renotifyOnly,
    previousCandidateTgId: previous,
    superseded,
    changes: [
      // Released, reserved or approved from pending: the slot row changes (archived first).
      ...(books ? [await slotRow(db, slot.id, sample)] : []),
      ...(releases ? await releasedChildren(db, slot.id, sample) : await staleForCandidate(db, slot.id, opts.candidate, sample)),
      ...(releases && previous !== null ? [await supersededRows(db, slot.id, previous, supersededOnRelease(true), sample)] : []),
      await supersededRows(db, slot.id, opts.candidate, supersededOnApprove(books), sample),
    ],
    steps: [
      ...(releases
        ? [`reject (reschedule) for candidate ${previous ?? 'none'}: slot freed, its logs and reminder jobs archived, ${superseded.previous?.messages ?? 0} earlier outbox message(s) of that candidate archived, ${OUTBOX_TYPES.rescheduled} enqueued`]
        : []),
      ...(!renotifyOnly ? [`reserve for candidate ${opts.candidate} (refused if they hold another active slot of this recruiter)`] : []),
      `approve: status booked, stale logs archived, ${superseded.candidate.messages} earlier outbox message(s) of candidate ${opts.candidate} archived, slot_approved log of candidate ${opts.candidate} recorded, ${OUTBOX_TYPES.approved} enqueued once, reminder jobs scheduled`,
    ],
  };
  return runDestructive(ctx, {
    action: 'slots.reassign',
    plan: { describe: summary, preview: plan, empty: false },
    apply: (applier) =>
      applier.transaction((trx, op) =>
        // The slot as shown (and confirmed): the rule refuses if it changed hands or status since.
        reassignSlot(trx, op, { slotId: slot.id, candidateTgId: opts.candidate, candidateName: opts.name ?? null, expected: { candidateTgId: slot.candidate_tg_id, status: slot.status } }),
      ),
    summary: (r) => ({
      slotId: slot.id,
      from: previous,
      to: opts.candidate,
      outboxIds: [r.released?.outbox?.row.id, r.approved.outbox.row.id].filter((x) => x !== undefined),
    }),
  });
}

export function render(r: ReassignResult, out: Output): void {
  renderDestructive(r, out, {
    unchanged: (res) =>
      `slot ${res.approved.slot.id} is candidate ${res.approved.candidateTgId}'s and approved already: their log, ${res.approved.outbox.row.type} ` +
      `(outbox ${res.approved.outbox.row.id}, ${res.approved.outbox.row.status}) and reminder jobs are in place; nothing is sent twice`,
    done: (res) => {
      const a = res.approved;
      const lines = [`${out.c.green('reassigned')} slot ${a.slot.id} to candidate ${a.candidateTgId} (status ${a.slot.status})`];
      if (res.released?.outbox) {
        lines.push(`previous candidate ${res.released.candidateTgId}: ${res.released.outbox.row.type} ${res.released.outbox.created ? 'enqueued' : 'already in the outbox'} (outbox ${res.released.outbox.row.id})`);
      }
      lines.push(
        `candidate ${a.candidateTgId}: ${a.outbox.row.type} ${a.outbox.created ? 'enqueued' : `already in the outbox (${a.outbox.row.status})`} (outbox ${a.outbox.row.id}); ` +
          `log ${a.log.log.type} ${a.log.created ? 'recorded' : 'already there'}; ${a.reminders.created} reminder job(s) scheduled`,
      );
      const archivedLogs = a.archivedLogs.length + (res.released?.archivedLogs.length ?? 0);
      const archivedJobs = a.reminders.archived.length + (res.released?.archivedReminders.length ?? 0);
      const superseded = countSuperseded([...a.supersededMessages, ...(res.released?.supersededMessages ?? [])]);
      lines.push(`archived: ${archivedLogs} stale notification log(s), ${archivedJobs} reminder job(s), ${describeSuperseded(superseded, 'the candidates')}`);
      return lines;
    },
  });
}
