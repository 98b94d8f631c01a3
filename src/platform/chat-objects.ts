/**
 * The database objects that create chat rooms (seed 004's guide names). Defined once: the
 * migration that creates them and `chats verify` / `audit` that check them read these names.
 * The seed's pre-deploy script checks lesson_completion_create_chat and
 * create_chat_after_lesson_completion, names the guide no longer uses; we do not.
 */
export const CHAT_OBJECTS = {
  /** Trigger function: creates the room of NEW's (teacher, student) when a booking is active. */
  triggerFunction: 'create_chat_on_booking_active',
  /** AFTER INSERT trigger on bookings, for rows inserted as active. */
  insertTrigger: 'booking_create_chat',
  /** AFTER UPDATE OF status trigger on bookings, when the status really becomes active. */
  updateTrigger: 'booking_create_chat_update',
  /** Set-based backfill: creates the missing rooms of one batch of bookings. */
  backfillFunction: 'create_chats_for_active_bookings',
} as const;

/**
 * The unique key on chat_rooms (teacher_id, student_id), the baseline's UNIQUE constraint: what
 * makes concurrent writers of one pair's room settle on one room (the trigger's and the backfill's
 * ON CONFLICT DO NOTHING conflict only on it; the application's own GetOrCreateRoom relies on it).
 * Found by its columns whatever its name; `name` is what a repair creates when it is missing.
 */
export const CHAT_ROOM_KEY = {
  table: 'chat_rooms',
  columns: ['teacher_id', 'student_id'],
  name: 'chat_rooms_teacher_id_student_id_key',
} as const;

/**
 * The transaction advisory lock that serialises the creators of one pair's room (getOrCreateRoom
 * and the trigger function): pg_advisory_xact_lock(hashtext(CHAT_ROOM_PAIR_LOCK),
 * hashtext(teacher_id::text || '|' || student_id::text)). With it a creator that waited looks
 * again and finds the room, even where the unique key is missing.
 */
export const CHAT_ROOM_PAIR_LOCK = 'bookops.chat_rooms.pair';
