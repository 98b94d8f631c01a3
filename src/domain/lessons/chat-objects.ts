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
