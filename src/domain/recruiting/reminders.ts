/**
 * Reminder jobs of a slot (slot_reminder_jobs), scheduled idempotently on approve: the job id is
 * derived from slot, candidate, kind and start time, inserted with ON CONFLICT DO NOTHING; jobs
 * of another candidate or an old start time are archived away.
 */
import type { Knex } from 'knex';
import { recordInserted, show, shownRecordInserted, type RowChange, type ShownStatement } from '../../archive/changes.js';
import type { ArchiveOperation } from '../../archive/operation.js';
import * as recruiting from '../../data/recruiting.repository.js';
import type { PlannedJob, ReminderJobRow } from '../../data/recruiting.repository.js';
import { run, type Db, type Statement } from '../../data/sql.js';
import { REMINDERS } from '../../platform/messages.js';

export interface ReminderSchedule {
  /** Jobs the slot has now for its candidate (created or kept). */
  jobs: PlannedJob[];
  created: number;
  /** Jobs of another candidate or start time, archived and deleted. */
  archived: ReminderJobRow[];
}

/** The jobs the slot should have for its candidate now (or for `candidateTgId`, to preview a reassignment). */
export function reminderPlan(db: Db, slotId: number, candidateTgId: number | null = null): Promise<PlannedJob[]> {
  return recruiting.reminderPlan(db, slotId, candidateTgId, REMINDERS);
}

/** The slot's jobs other than the planned ones (another candidate or start time): archived and deleted. */
export function staleJobsChange(slotId: number, jobs: PlannedJob[]): RowChange {
  return { table: 'slot_reminder_jobs', change: 'delete', where: recruiting.staleJobs(), params: { slotId, keepJobIds: jobs.map((j) => j.job_id) } };
}

export function shownInsertReminders(db: Db, slotId: number, jobs: PlannedJob[]): ShownStatement[] {
  const statement = insertRemindersStatement(slotId, jobs);
  return statement ? [show(db, statement, `schedule ${jobs.length} reminder job(s) (each once)`), shownRecordInserted(db, 'slot_reminder_jobs')] : [];
}

/** The insert of the planned jobs; none when there are no jobs to schedule (nothing is sent). */
function insertRemindersStatement(slotId: number, jobs: PlannedJob[]): Statement | null {
  return jobs.length === 0 ? null : recruiting.insertRemindersStatement(slotId, jobs);
}

/** Inserts the planned jobs (an existing one is kept) and records the new ones in the operation. */
export async function insertReminders(trx: Knex.Transaction, op: ArchiveOperation, slotId: number, jobs: PlannedJob[]): Promise<number> {
  const statement = insertRemindersStatement(slotId, jobs);
  if (!statement) return 0;
  const inserted = (await run<ReminderJobRow>(trx, statement.sql, statement.params)).rows;
  await recordInserted(trx, op, 'slot_reminder_jobs', inserted.map((j) => j.id));
  return inserted.length;
}
