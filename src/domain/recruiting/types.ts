export interface SlotRow {
  id: number;
  recruiter_id: number;
  start_utc: Date;
  duration_min: number;
  status: string;
  candidate_tg_id: number | null;
  candidate_fio: string | null;
  candidate_tz: string | null;
  created_at: Date;
  updated_at: Date;
}

/** A slot as lock-slot reads it: with the recruiter's Telegram chat and whether it is active. */
export interface LockedSlot extends SlotRow {
  recruiter_tg_id: number | null;
  active: boolean;
}

export interface NotificationLogRow {
  id: number;
  booking_id: number;
  type: string;
  payload: string | null;
  delivery_status: string;
  created_at: Date;
  /** Only after migration 0004. */
  candidate_tg_id?: number | null;
}

export interface ReminderJobRow {
  id: number;
  slot_id: number;
  kind: string;
  job_id: string;
  scheduled_at: Date;
  created_at: Date;
}
