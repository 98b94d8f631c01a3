import type { TimestampText } from '../db.js';

export interface ChatRoomRow {
  id: string;
  teacher_id: string;
  student_id: string;
  last_message_at: TimestampText | null;
  created_at: TimestampText;
  updated_at: TimestampText;
  deleted_at: TimestampText | null;
}

export interface BookingRow {
  id: string;
  lesson_id: string;
  student_id: string;
  status: string | null;
  created_at: TimestampText;
  updated_at: TimestampText;
  deleted_at: TimestampText | null;
}
