/**
 * The recruiter approves a reserved slot ("Согласовано", seed 002). Under the slot lock: pending
 * becomes booked; the slot's notification logs that are not the current candidate's are archived
 * away (a log of the previous candidate must not silence this one, seed 002 P0); so are reminder
 * jobs of another candidate or start time, and this candidate's earlier messages about the slot
 * (superseded: see supersede-messages.ts); this candidate's log is recorded; the approval message
 * is enqueued exactly once (outbox key); reminder jobs are scheduled idempotently. Approving again
 * changes nothing and sends nothing twice.
 */
import type { Knex } from 'knex';
import type { ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import { translated } from '../../data/db.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { LogParams, NotificationLogRow, PlannedJob, ReminderJobRow, SlotRow } from '../../data/recruiting.repository.js';
import type { Db } from '../../data/sql.js';
import { ConflictError } from '../../errors.js';
import { LOG_TYPES, OUTBOX_TYPES } from '../../platform/messages.js';
import { isStatus, SLOT_BOOKED, SLOT_PENDING } from '../../platform/statuses.js';
import { enqueueOutbox, keptMessage, messageArchives, planEnqueue, shownEnqueue, type EnqueueInput, type EnqueueResult, type PlannedMessage } from '../outbox/enqueue.js';
import { applyChanges, archivesOf, previewed, statementsOf, tally, type PlannedChange, type PreviewOptions } from '../planned.js';
import { requireId } from '../validate.js';
import { logParams, logsKeyedByCandidate, recordLog, shownRecordLog, staleLogsChange, type RecordedLog } from './notification-logs.js';
import { insertReminders, reminderPlan, shownInsertReminders, staleJobsChange, type ReminderSchedule } from './reminders.js';
import { lockSlot, requireAsShown, slotState, strip, type ExpectedSlot } from './slot.js';
import { previewSuperseded, supersedeChange, supersededOf, supersededOnApprove, type SupersededMessage, type SupersedePreview } from './supersede-messages.js';

export interface ApprovePlan {
  slotId: number;
  /** The candidate approved: the slot's, or (previewing a reassignment) the one it will be reserved for. */
  candidateTgId: number;
  /** The slot as the approval will find it; apply refuses when it is not so. */
  expected: ExpectedSlot;
  /** pending -> booked (false: it is already booked or confirmed). */
  books: boolean;
  /** notification_logs keyed by candidate (migration 0004) or the legacy (type, booking_id). */
  logsKeyedByCandidate: boolean;
  changes: PlannedChange[];
  log: LogParams;
  message: PlannedMessage;
  enqueue: EnqueueInput;
  /** The approval is enqueued (false: a pending one is left as it is, see ApproveInput.leavePending). */
  enqueues: boolean;
  /** The reminder jobs the slot should have. */
  jobs: PlannedJob[];
  superseded: SupersedePreview;
  statements: ShownStatement[];
  /** What it archives (see PlanBase.archives). */
  archives: Record<string, number>;
}

export interface ApproveSlotResult {
  slot: SlotRow;
  candidateTgId: number;
  /** pending -> booked happened now (false: it was already booked or confirmed). */
  statusChanged: boolean;
  log: RecordedLog;
  /** Logs of other candidates (or without one) archived and deleted. */
  archivedLogs: NotificationLogRow[];
  /** This candidate's earlier messages about the slot, archived and deleted (supersede-messages.ts). */
  supersededMessages: SupersededMessage[];
  outbox: EnqueueResult;
  reminders: ReminderSchedule;
  logsKeyedByCandidate: boolean;
}

export interface ApproveInput {
  slotId: number;
  /**
   * Preview of an approval that follows a reservation (slots reassign): the slot as it will be
   * when the approval runs, reserved (pending) for this candidate. Its logs and jobs are gone by
   * then when `afterRelease` (the release before it archived every one).
   */
  as?: { candidateTgId: number; status: string; recruiterTgId: number | null; startUtc: Date; durationMin: number; afterRelease: boolean };
  /**
   * An approval of this candidate still pending in the outbox is left exactly as it is instead of
   * refreshed for a retry: support re-notifying a candidate whose approval is still queued
   * (`slots reassign` run again) has nothing to do, and must not reset its attempts (docs/SUPPORT.md).
   */
  leavePending?: boolean;
}

export async function planApproveSlot(db: Db, input: ApproveInput, opts: PreviewOptions = {}): Promise<ApprovePlan> {
  const slotId = requireId('slotId', input.slotId);
  const slot = input.as ?? (await approvable(db, slotId));
  const candidateTgId = slot.candidateTgId;
  const books = isStatus(slot.status, SLOT_PENDING);
  const keyed = await logsKeyedByCandidate(db);
  const jobs = await reminderPlan(db, slotId, candidateTgId);
  const supersededTypes = supersededOnApprove(books);
  const enqueue: EnqueueInput = {
    type: OUTBOX_TYPES.approved,
    bookingId: slotId,
    candidateTgId,
    recruiterTgId: slot.recruiterTgId,
    payload: { slot_id: slotId, start_utc: new Date(slot.startUtc).toISOString(), duration_min: slot.durationMin, candidate_tg_id: candidateTgId },
  };
  const changes = await previewed(
    db,
    [
      ...(books ? [{ role: 'slot', table: 'slots', change: 'update' as const, where: recruiting.slot(), set: recruiting.setStatus(), params: { slotId, status: SLOT_BOOKED } }] : []),
      { role: 'logs', ...staleLogsChange(keyed, slotId, candidateTgId) },
      { role: 'jobs', ...staleJobsChange(slotId, jobs) },
      { role: 'superseded', ...supersedeChange(slotId, candidateTgId, supersededTypes) },
    ],
    opts,
  );
  // After a release in the same transaction the slot has no logs or jobs left to archive.
  if (input.as?.afterRelease) for (const c of changes) if ((c.role === 'logs' || c.role === 'jobs') && c.total !== undefined) Object.assign(c, { total: 0, rows: [] });
  const log = logParams(slotId, candidateTgId, LOG_TYPES.approved);
  const planned = await planEnqueue(db, enqueue, supersededTypes);
  const enqueues = !(input.leavePending && planned.outcome === 'refresh');
  // Left as it is, the pending row is what a sent one is to an enqueue: a row that stays.
  const message: PlannedMessage = enqueues ? planned : { ...planned, outcome: 'exists' };
  return {
    slotId,
    candidateTgId,
    expected: { candidateTgId, status: slot.status },
    books,
    logsKeyedByCandidate: keyed,
    changes,
    log,
    message,
    archives: tally(archivesOf(changes), messageArchives(message)),
    enqueue,
    enqueues,
    jobs,
    superseded: opts.sample === undefined ? { messages: 0, unsent: 0, inFlight: 0 } : await previewSuperseded(db, [{ slotId, candidateTgId }], supersededTypes),
    statements: [...statementsOf(db, changes), ...shownRecordLog(db, keyed, log), ...(enqueues ? shownEnqueue(db, enqueue, message.outcome) : []), ...shownInsertReminders(db, slotId, jobs)],
  };
}

/** The slot as an approval finds it: held by a candidate (active), else there is nothing to approve. */
async function approvable(db: Db, slotId: number) {
  const slot = await slotState(db, slotId);
  if (!slot.active || slot.candidate_tg_id === null) {
    throw new ConflictError(`slot ${slotId} has no candidate to approve (status '${slot.status}')`, {
      details: { slotId, status: slot.status, candidateTgId: slot.candidate_tg_id },
    });
  }
  return { candidateTgId: slot.candidate_tg_id, status: slot.status, recruiterTgId: slot.recruiter_tg_id, startUtc: slot.start_utc, durationMin: slot.duration_min };
}

export async function applyApproveSlot(trx: Knex.Transaction, op: ArchiveOperation, plan: ApprovePlan): Promise<ApproveSlotResult> {
  return translated(async () => {
    const locked = await lockSlot(trx, plan.slotId);
    requireAsShown(locked, plan.expected);
    const done = await applyChanges(trx, op, plan.changes);
    const slot = plan.books ? (await recruiting.slotRow(trx, plan.slotId))! : strip(locked);
    const log = await recordLog(trx, op, plan.logsKeyedByCandidate, plan.log);
    const outbox = plan.enqueues ? await enqueueOutbox(trx, plan.enqueue, op) : await keptMessage(trx, plan.enqueue);
    const created = await insertReminders(trx, op, plan.slotId, plan.jobs);
    return {
      slot,
      candidateTgId: plan.candidateTgId,
      statusChanged: plan.books,
      log,
      archivedLogs: done.logs.rows as unknown as NotificationLogRow[],
      supersededMessages: supersededOf(done.superseded.rows as never),
      outbox,
      reminders: { jobs: plan.jobs, created, archived: done.jobs.rows as unknown as ReminderJobRow[] },
      logsKeyedByCandidate: plan.logsKeyedByCandidate,
    };
  });
}

/** The rule as the bot calls it, in its transaction: decided and carried out under the slot's lock. */
export async function approveSlot(trx: Knex.Transaction, op: ArchiveOperation, input: { slotId: number }): Promise<ApproveSlotResult> {
  return translated(async () => {
    const locked = await lockSlot(trx, requireId('slotId', input.slotId));
    const plan = await planApproveSlot(trx, { slotId: locked.id });
    return applyApproveSlot(trx, op, plan);
  });
}

