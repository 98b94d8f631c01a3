/**
 * The rows a release or a reassignment would archive and change, for --dry-run: read with the
 * predicates the reject and approve rules run (src/domain/recruiting), so the preview lists what
 * the rules will take, not a guess.
 */
import { sqlText } from '../../data/sql-files.js';
import type { Db } from '../../domain/db.js';
import { logsKeyedByCandidate } from '../../domain/recruiting/notification-logs.js';
import { logCandidateParams } from '../../domain/recruiting/log-candidate.js';
import { reminderPlan } from '../../domain/recruiting/reminders.js';
import { previewRows, type RowsPreview } from '../shared/preview-rows.js';

/** The slot row itself (archived before the rules change it). */
export function slotRow(db: Db, slotId: number, sample: number): Promise<RowsPreview> {
  return previewRows(db, { table: 'slots', change: 'update', where: sqlText('recruiting/where-slot'), params: { slotId }, sample });
}

/** A release frees the slot of everything: all its logs and reminder jobs. */
export async function releasedChildren(db: Db, slotId: number, sample: number): Promise<RowsPreview[]> {
  return [
    await previewRows(db, { table: 'notification_logs', change: 'delete', where: sqlText('recruiting/where-slot-children'), params: { slotId }, sample }),
    await previewRows(db, { table: 'slot_reminder_jobs', change: 'delete', where: sqlText('recruiting/where-slot-jobs'), params: { slotId }, sample }),
  ];
}

/** An approval for `candidateTgId` keeps their log and their reminder jobs and takes the others. */
export async function staleForCandidate(db: Db, slotId: number, candidateTgId: number, sample: number): Promise<RowsPreview[]> {
  const keyed = await logsKeyedByCandidate(db);
  const keepJobIds = (await reminderPlan(db, slotId, candidateTgId)).map((j) => j.job_id);
  return [
    await previewRows(db, {
      table: 'notification_logs',
      change: 'delete',
      where: sqlText(keyed ? 'recruiting/where-stale-logs' : 'recruiting/where-stale-logs-legacy'),
      params: { slotId, candidateTgId, ...logCandidateParams },
      sample,
    }),
    await previewRows(db, { table: 'slot_reminder_jobs', change: 'delete', where: sqlText('recruiting/where-stale-jobs'), params: { slotId, keepJobIds }, sample }),
  ];
}

/** A candidate's earlier outbox messages about the slot of these types (superseded: archived and deleted). */
export function supersededRows(db: Db, slotId: number, candidateTgId: number, types: readonly string[], sample: number): Promise<RowsPreview> {
  return previewRows(db, {
    table: 'outbox_notifications',
    change: 'delete',
    where: sqlText('recruiting/where-superseded-messages'),
    params: { slotId, candidateTgId, types: [...types] },
    sample,
    of: `earlier messages of candidate ${candidateTgId}`,
  });
}
