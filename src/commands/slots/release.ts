/**
 * bookops slots release <id>: frees a recruiting slot through the reject rule (seed 002): the
 * slot becomes free, its notification logs and reminder jobs are archived away so the next
 * candidate starts clean, the approval messages of the candidate who held it are superseded (an
 * unsent one is never sent), and they are told once (candidate_reschedule or candidate_rejection through the idempotent outbox).
 */
import type { Context } from '../../cli/context.js';
import type { Output } from '../../cli/output.js';
import { rejectSlot, type RejectReason, type RejectSlotResult } from '../../domain/recruiting/index.js';
import { OUTBOX_TYPES } from '../../domain/recruiting/notification-types.js';
import { countSuperseded, describeSuperseded, previewSuperseded, supersededOnRelease, type SupersedePreview } from '../../domain/recruiting/supersede-messages.js';
import { runDestructive, type DestructiveResult } from '../shared/destructive.js';
import { renderDestructive, requireModule, type ShownPlan } from '../shared/support-render.js';
import { releasedChildren, slotRow, supersededRows } from './slot-changes.js';
import { describeSlot, slotState, type SlotState } from './slot-state.js';

export interface ReleaseOptions {
  slot: number;
  reason?: RejectReason;
  /** Rows shown per table by --dry-run. */
  sample?: number;
}

export interface ReleasePlan extends ShownPlan {
  slot: SlotState;
  reason: RejectReason;
  /** The message the previous candidate gets (null: nobody held the slot). */
  message: { type: string; candidateTgId: number } | null;
  /** Their earlier outbox messages about the slot, which the release supersedes (archived). */
  superseded: SupersedePreview;
}

export type ReleaseResult = DestructiveResult<ReleasePlan, RejectSlotResult>;

export async function run(ctx: Context, opts: ReleaseOptions): Promise<ReleaseResult> {
  const db = await ctx.db();
  await requireModule(db, 'recruiting');
  const reason = opts.reason ?? 'reschedule';
  const slot = await slotState(db, opts.slot);
  // As the reject rule decides: an active status or a candidate means someone holds it.
  const held = slot.active || slot.candidate_tg_id !== null;
  const release = slot.active || slot.free ? 'free it, ' : `clear its candidate (it stays ${slot.status}), `;
  const type = reason === 'reject' ? OUTBOX_TYPES.rejected : OUTBOX_TYPES.rescheduled;
  const message = slot.candidate_tg_id === null ? null : { type, candidateTgId: slot.candidate_tg_id };
  const supersededTypes = supersededOnRelease(held);
  const superseded = await previewSuperseded(db, message ? [{ slotId: slot.id, candidateTgId: message.candidateTgId }] : [], supersededTypes);
  const empty = !held && slot.logs === 0 && slot.reminder_jobs === 0 && superseded.messages === 0;
  const supersede = superseded.messages ? `, archive ${describeSuperseded(superseded, `candidate ${slot.candidate_tg_id}`)}` : '';
  const summary = empty
    ? `slot ${slot.id} is already free, with no notification logs or reminder jobs`
    : `release ${describeSlot(slot)}: ${held ? release : ''}archive ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s)${supersede}` +
      (message ? `, and tell candidate ${message.candidateTgId} (${type})` : '');
  const sample = opts.sample ?? 20;
  const plan: ReleasePlan = {
    summary,
    slot,
    reason,
    message,
    superseded,
    changes: [
      ...(held ? [await slotRow(db, slot.id, sample)] : []),
      ...(await releasedChildren(db, slot.id, sample)),
      ...(message ? [await supersededRows(db, slot.id, message.candidateTgId, supersededTypes, sample)] : []),
    ],
    steps: [
      `lock slot ${slot.id}`,
      ...(held ? [`archive the slot row, then clear the candidate${slot.active ? " and set status 'free'" : ''}`] : []),
      `archive and delete its ${slot.logs} notification log(s) and ${slot.reminder_jobs} reminder job(s)`,
      ...(message ? [`archive and delete the ${superseded.messages} ${supersededTypes.join('/')} outbox message(s) of candidate ${message.candidateTgId} about this slot`] : []),
      ...(message ? [`enqueue ${type} for candidate ${message.candidateTgId} (once per key, whatever its status)`] : []),
    ],
  };
  return runDestructive(ctx, {
    action: 'slots.release',
    plan: { describe: summary, preview: plan, empty },
    apply: (applier) =>
      // The slot as shown (and confirmed): the rule refuses if it changed hands or status since,
      // including a free slot someone booked while the prompt was open.
      applier.transaction((trx, op) => rejectSlot(trx, op, { slotId: slot.id, reason, expected: { candidateTgId: slot.candidate_tg_id, status: slot.status } })),
    summary: (r) => ({ slotId: slot.id, reason, candidateTgId: r.candidateTgId, outboxId: r.outbox?.row.id ?? null }),
  });
}

export function render(r: ReleaseResult, out: Output): void {
  renderDestructive(r, out, {
    done: (res) => [
      `${out.c.green('released')} slot ${res.slot.id}: ${res.freed ? 'now free' : 'was already free'}; archived ${res.archivedLogs.length} notification log(s), ${res.archivedReminders.length} reminder job(s), ${describeSuperseded(countSuperseded(res.supersededMessages), `candidate ${res.candidateTgId}`)}`,
      res.outbox
        ? `candidate ${res.candidateTgId}: ${res.outbox.row.type} ${res.outbox.created ? 'enqueued' : `already in the outbox (${res.outbox.row.status})`} as outbox ${res.outbox.row.id}`
        : 'nobody to tell: the slot had no candidate',
    ],
  });
}
