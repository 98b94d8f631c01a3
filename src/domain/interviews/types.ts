import type { TimestampText } from '../db.js';

export interface InterviewRow {
  id: number;
  time_slot_id: number | null;
  interviewer_id: number | null;
  bot_user_id: number;
  status: string | null;
  created_at: TimestampText;
  cancelled_at: TimestampText | null;
}
