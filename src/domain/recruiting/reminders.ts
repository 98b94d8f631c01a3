/**
 * Reminder jobs of a slot (slot_reminder_jobs), scheduled idempotently on approve: the job id is
 * derived from slot, candidate, kind and start time, inserted with ON CONFLICT DO NOTHING; jobs
 * of another candidate or an old start time are archived away.
 */
import type { Knex } from 'knex';
import { runSql, sqlText } from '../../data/sql-files.js';
import { archiveInserted, deleteArchived, type ArchiveOperation } from '../../archive/archive.js';
import { REMINDERS } from './notification-types.js';
import type { Db } from '../db.js';
import type { ReminderJobRow } from './types.js';

export interface ReminderSchedule {
  /** Jobs the slot has now for its candidate (created or kept). */
  jobs: { job_id: string; kind: string; scheduled_at: Date }[];
  created: number;
  /** Jobs of another candidate or start time, archived and deleted. */
  archived: ReminderJobRow[];
}

/** The jobs the slot should have for its candidate now (or for `candidateTgId`, to preview a reassignment). */
export function reminderPlan(db: Db, slotId: number, candidateTgId: number | null = null): Promise<ReminderSchedule['jobs']> {
  return runSql<ReminderSchedule['jobs'][number]>(db, 'recruiting/reminder-plan', {
    slotId,
    candidateTgId,
    kinds: REMINDERS.map((r) => r.kind),
    leadMinutes: REMINDERS.map((r) => r.leadMinutes),
  });
}

export async function scheduleReminders(trx: Knex.Transaction, op: ArchiveOperation, slotId: number): Promise<ReminderSchedule> {
  const plan = await reminderPlan(trx, slotId);
  const archived = await deleteArchived<ReminderJobRow>(trx, op, 'slot_reminder_jobs', sqlText('recruiting/where-stale-jobs'), {
    slotId,
    keepJobIds: plan.map((j) => j.job_id),
  });
  const inserted = plan.length
    ? await runSql<ReminderJobRow>(trx, 'recruiting/insert-reminders', {
        slotId,
        jobIds: plan.map((j) => j.job_id),
        kinds: plan.map((j) => j.kind),
        scheduledAt: plan.map((j) => j.scheduled_at),
      })
    : [];
  if (inserted.length) await archiveInserted(trx, op, 'slot_reminder_jobs', sqlText('archive/where-id'), { ids: inserted.map((j) => j.id) });
  return { jobs: plan, created: inserted.length, archived };
}

/** Archives and deletes every reminder job of a slot (the slot was freed). */
export async function archiveAllReminders(trx: Knex.Transaction, op: ArchiveOperation, slotId: number): Promise<ReminderJobRow[]> {
  return deleteArchived<ReminderJobRow>(trx, op, 'slot_reminder_jobs', sqlText('recruiting/where-slot-jobs'), { slotId });
}
