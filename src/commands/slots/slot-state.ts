/** What support sees of one recruiting slot before a release or reassign (plan only). */
import { runSql } from '../../data/sql-files.js';
import { NotFoundError } from '../../errors.js';
import type { Db } from '../../domain/db.js';
import { SLOT_FREE, params as statusParams } from '../../domain/statuses.js';
import { requireId } from '../../domain/validate.js';

export interface SlotState {
  id: number;
  recruiter_id: number;
  recruiter: string;
  start_utc: Date;
  duration_min: number;
  status: string;
  candidate_tg_id: number | null;
  candidate_fio: string | null;
  active: boolean;
  free: boolean;
  logs: number;
  reminder_jobs: number;
}

export async function slotState(db: Db, slotId: number): Promise<SlotState> {
  requireId('slot id', slotId);
  const [slot] = await runSql<SlotState>(db, 'support/slot-state', { slotId, slotActive: statusParams.slotActive, freeStatus: SLOT_FREE });
  if (!slot) throw new NotFoundError(`slot ${slotId} does not exist`);
  return { ...slot, candidate_tg_id: slot.candidate_tg_id === null ? null : Number(slot.candidate_tg_id) };
}

/** "slot 12 (recruiter Anna, 2026-11-25 17:00 UTC, booked by candidate 5512345678)" */
export function describeSlot(s: SlotState): string {
  const when = new Date(s.start_utc).toISOString().slice(0, 16).replace('T', ' ');
  const who = s.candidate_tg_id === null ? s.status : `${s.status} by candidate ${s.candidate_tg_id}${s.candidate_fio ? ` (${s.candidate_fio})` : ''}`;
  return `slot ${s.id} (recruiter ${s.recruiter}, ${when} UTC, ${who})`;
}
