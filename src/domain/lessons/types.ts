export interface ChatRoomRow {
  id: string;
  teacher_id: string;
  student_id: string;
  last_message_at: Date | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}

export interface BookingRow {
  id: string;
  lesson_id: string;
  student_id: string;
  status: string | null;
  created_at: Date;
  updated_at: Date;
  deleted_at: Date | null;
}
