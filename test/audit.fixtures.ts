/**
 * Minimal data for the audit check tests: `DEFECTS_*` plant known counts of each defect (with
 * upper-case statuses, as production writers do), `CLEAN_*` are near misses that must not be
 * reported. Counts expected from DEFECTS are in PLANTED.
 */

export const T1 = '00000000-0000-0000-0000-0000000000a1';
export const T2 = '00000000-0000-0000-0000-0000000000a2';
export const S = (n: number) => `00000000-0000-0000-0000-0000000000b${n}`;

const lessonsBase = `
INSERT INTO users (id, email, role) VALUES
  ('${T1}', 't1@example.invalid', 'teacher'), ('${T2}', 't2@example.invalid', 'teacher'),
  ('${S(1)}', 's1@example.invalid', 'student'), ('${S(2)}', 's2@example.invalid', 'student'),
  ('${S(3)}', 's3@example.invalid', 'student'), ('${S(4)}', 's4@example.invalid', 'student'),
  ('${S(5)}', 's5@example.invalid', 'student');
INSERT INTO lessons (id, teacher_id, student_id, start_time, end_time, deleted_at) VALUES
  ('00000000-0000-0000-0000-0000000000c1', '${T1}', '${S(1)}', now() - interval '3 hours', now() - interval '2 hours', NULL),
  ('00000000-0000-0000-0000-0000000000c2', '${T1}', '${S(1)}', now() - interval '2 hours', now() - interval '1 hour', NULL),
  ('00000000-0000-0000-0000-0000000000c3', '${T2}', '${S(2)}', now() + interval '1 hour', now() + interval '2 hours', NULL),
  ('00000000-0000-0000-0000-0000000000c4', '${T2}', '${S(3)}', now() + interval '1 hour', now() + interval '2 hours', now()),
  ('00000000-0000-0000-0000-0000000000c5', '${T1}', '${T1}', now() + interval '1 hour', now() + interval '2 hours', NULL);`;

/** A number with bots, a conversation and its message, a broadcast and its recipient. */
const whatsappTree = `
INSERT INTO whatsapp_numbers (id, phone_number) VALUES (1, '+10000000001');
INSERT INTO bots (whatsapp_number_id, name) VALUES (1, 'bot');
INSERT INTO conversations (id, whatsapp_number_id, contact_phone) VALUES (1, 1, '+19990000001');
INSERT INTO whatsapp_messages (conversation_id, direction, body) VALUES (1, 'in', 'hi');
INSERT INTO broadcasts (id, whatsapp_number_id, title) VALUES (1, 1, 'promo');
INSERT INTO broadcast_recipients (broadcast_id, phone) VALUES (1, '+19990000001');`;

/** Legacy schema: every data defect the legacy constraints allow. */
export const DEFECTS_LEGACY = `
-- interviews: two cancelled interviews blocking their slot (one upper case); the legacy unique
-- constraint renamed, as another database would name it.
ALTER TABLE interviews RENAME CONSTRAINT interviews_time_slot_id_key TO iv_slot_unique_legacy;
INSERT INTO time_slots (id, interviewer_id, start_time, end_time)
  SELECT g, 1, now() + g * interval '1 hour', now() + g * interval '1 hour' + interval '30 minutes' FROM generate_series(1, 5) g;
INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (1, 101, 'CANCELLED'), (2, 102, 'cancelled'), (3, 103, 'Pending');

-- recruiting: candidate 501 holds a pending and a confirmed_by_candidate slot of recruiter 1
-- (the legacy index leaves confirmed out); slots 2 and 3 overlap; 4 is free, so 4/5 do not count.
INSERT INTO recruiters (id, name) VALUES (1, 'R1'), (2, 'R2');
INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id) VALUES
  (1, 1, '2030-01-01 09:00+00', 60, 'PENDING', 501),
  (2, 1, '2030-01-01 11:00+00', 60, 'Confirmed_By_Candidate', 501),
  (3, 1, '2030-01-01 11:30+00', 60, 'booked', 502),
  (4, 1, '2030-01-01 14:00+00', 60, 'free', NULL),
  (5, 1, '2030-01-01 14:30+00', 60, 'BOOKED', 503),
  (6, 2, '2030-01-01 09:00+00', 60, 'booked', 501),
  (7, 2, '2030-01-01 10:00+00', 60, 'booked', 504),
  (8, 2, '2030-01-01 12:00+00', 60, 'canceled', 505);

-- outbox: one duplicate key with a NULL candidate; two stuck (locked 20 min ago; unlocked, 2 h
-- old, no retry); two failed past their last attempt; near misses of each.
INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id, status, created_at, locked_at, next_retry_at) VALUES
  ('reject', 1, NULL, 'sent', now() - interval '1 day', NULL, NULL),
  ('reject', 1, NULL, 'pending', now(), NULL, NULL),
  ('remind', 2, 501, 'pending', now() - interval '1 hour', now() - interval '20 minutes', NULL),
  ('remind', 3, 502, 'pending', now() - interval '1 hour', now() - interval '5 minutes', NULL),
  ('remind', 5, 503, 'PENDING', now() - interval '2 hours', NULL, NULL),
  ('remind', 6, 501, 'pending', now() - interval '2 hours', NULL, now() + interval '10 minutes'),
  ('remind', 7, 504, 'pending', now() - interval '30 minutes', NULL, NULL),
  ('approved', 2, 501, 'failed', now() - interval '1 day', NULL, NULL),
  ('approved', 3, 502, 'failed', now() - interval '1 day', NULL, now() + interval '1 hour'),
  ('approved', 5, 503, 'FAILED', now() - interval '1 day', NULL, now() - interval '1 hour');

-- notification logs (legacy: the candidate only in the JSON payload): one of a freed slot, one of
-- another candidate, one naming nobody (malformed JSON: it cannot be shown to be the holder's);
-- near misses: same candidate as a string, a canceled slot.
INSERT INTO notification_logs (booking_id, type, payload) VALUES
  (4, 'approved', '{"candidate_tg_id": 777}'),
  (1, 'approved', '{"candidate_tg_id": 999}'),
  (2, 'approved', '{"candidate_tg_id": "501"}'),
  (3, 'approved', 'not json {'),
  (5, 'approved', '{"candidate_tg_id": 503, "slot": 5}'),
  (8, 'approved', '{"candidate_tg_id": 505}');

-- whatsapp: a number with a tree (the legacy keys block deleting it).
${whatsappTree}

-- lessons: (T1, S1) has two active bookings and no room; (T2, S5) only a soft-deleted room;
-- (T2, S2) has its room; a deleted lesson, a deleted booking, a cancelled booking and a teacher
-- booking themself are ignored; one live self-room (T1, T1) and one deleted (T2, T2).
${lessonsBase}
INSERT INTO bookings (lesson_id, student_id, status, deleted_at) VALUES
  ('00000000-0000-0000-0000-0000000000c1', '${S(1)}', 'ACTIVE', NULL),
  ('00000000-0000-0000-0000-0000000000c2', '${S(1)}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c3', '${S(2)}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c4', '${S(3)}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c1', '${S(4)}', 'active', now()),
  ('00000000-0000-0000-0000-0000000000c3', '${S(5)}', 'Active', NULL),
  ('00000000-0000-0000-0000-0000000000c5', '${T1}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c1', '${S(3)}', 'cancelled', NULL);
INSERT INTO chat_rooms (teacher_id, student_id, deleted_at) VALUES
  ('${T2}', '${S(2)}', NULL), ('${T2}', '${S(5)}', now()), ('${T1}', '${T1}', NULL), ('${T2}', '${T2}', now());
`;

export const PLANTED_LEGACY: Record<string, number> = {
  'interviews.duplicate-active': 0,
  'interviews.cancelled-blocking': 2,
  'recruiting.double-booking': 1,
  'recruiting.overlapping-slots': 1,
  'outbox.duplicates': 1,
  'outbox.stuck': 2,
  'outbox.failed': 2,
  'notifications.stale-logs': 3,
  'whatsapp.blocking-fks': 5,
  'whatsapp.orphans': 0,
  'chats.missing': 1,
  'chats.blocked-by-deleted': 1,
  'chats.duplicates': 0,
  'chats.self-rooms': 1,
  'schema.pending-migrations': 7,
  'schema.invalid-indexes': 0,
  'schema.chat-trigger': 4,
};

/** Near misses on either schema: nothing here may be reported by a data check. */
export const CLEAN = `
INSERT INTO time_slots (id, interviewer_id, start_time, end_time)
  SELECT g, 1, now() + g * interval '1 hour', now() + g * interval '1 hour' + interval '30 minutes' FROM generate_series(1, 3) g;
INSERT INTO interviews (time_slot_id, bot_user_id, status) VALUES (1, 101, 'PENDING'), (2, 102, 'confirmed');
INSERT INTO recruiters (id, name) VALUES (1, 'R1'), (2, 'R2');
INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id) VALUES
  (1, 1, '2030-01-01 09:00+00', 60, 'PENDING', 501),
  (2, 1, '2030-01-01 10:00+00', 60, 'booked', 502),
  (3, 1, '2030-01-01 10:30+00', 60, 'free', NULL),
  (4, 2, '2030-01-01 09:00+00', 60, 'CONFIRMED_BY_CANDIDATE', 501),
  (5, 2, '2030-01-01 09:30+00', 60, 'canceled', 503);
INSERT INTO outbox_notifications (type, booking_id, candidate_tg_id, status, created_at, locked_at, next_retry_at) VALUES
  ('reject', 1, NULL, 'sent', now() - interval '1 day', NULL, NULL),
  ('reject', 2, NULL, 'sent', now() - interval '1 day', NULL, NULL),
  ('remind', 1, 501, 'pending', now() - interval '1 hour', now() - interval '5 minutes', NULL),
  ('remind', 2, 502, 'pending', now() - interval '3 hours', NULL, now() + interval '5 minutes'),
  ('approved', 1, 501, 'failed', now() - interval '1 day', NULL, now() + interval '1 hour');
INSERT INTO notification_logs (booking_id, type, payload) VALUES
  (1, 'approved', '{"candidate_tg_id": 501}'), (2, 'approved', '{"candidate_tg_id": "502"}'), (4, 'approved', '{"note": "garbage {", "candidate_tg_id":501}');
${whatsappTree}
${lessonsBase}
INSERT INTO chat_rooms (teacher_id, student_id, deleted_at) VALUES
  ('${T1}', '${S(1)}', NULL), ('${T2}', '${S(2)}', NULL), ('${T2}', '${S(4)}', now()), ('${T2}', '${T2}', now());
INSERT INTO bookings (lesson_id, student_id, status, deleted_at) VALUES
  ('00000000-0000-0000-0000-0000000000c1', '${S(1)}', 'ACTIVE', NULL),
  ('00000000-0000-0000-0000-0000000000c3', '${S(2)}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c4', '${S(3)}', 'active', NULL),
  ('00000000-0000-0000-0000-0000000000c3', '${S(4)}', 'cancelled', NULL),
  ('00000000-0000-0000-0000-0000000000c5', '${T1}', 'completed', NULL);
`;
