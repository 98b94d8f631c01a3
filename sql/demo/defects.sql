-- The defects of the incident write-ups, planted in the demo data (each one is what an audit check counts).

-- name: interviews-cancelled
-- Seed 000, planted: :count cancelled interviews, each on a slot of its own that holds nothing
-- else (evenings from tomorrow on). Under the legacy UNIQUE (time_slot_id) nobody can book
-- these slots again: "duplicate key value violates unique constraint interviews_time_slot_id_key".
WITH slot AS (
    INSERT INTO time_slots (interviewer_id, start_time, end_time, created_at)
    SELECT 1 + (p - 1) % :interviewers::int, t.start_time, t.start_time + interval '45 minutes',
           localtimestamp - interval '10 days'
    FROM generate_series(1, :count::int) AS p
    CROSS JOIN LATERAL (
        SELECT date_trunc('day', localtimestamp)
               + ((1 + (p - 1) / :interviewers::int) * 24 + 18) * interval '1 hour' AS start_time
    ) AS t
    ORDER BY p
    RETURNING id, interviewer_id
), cancelled AS (
    INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at, cancelled_at)
    SELECT id, interviewer_id, 6100000000 + id, 'cancelled',
           localtimestamp - interval '5 days', localtimestamp - (1 + id % 48) * interval '1 hour'
    FROM slot
    RETURNING time_slot_id, bot_user_id
)
SELECT count(*)::int AS count, min(time_slot_id) AS slot_id, min(bot_user_id) AS user_tg_id
FROM cancelled

-- name: interviews-duplicate-active
-- Seed 000, attempted: a second active interview on :count slots that already hold a confirmed
-- one. The legacy UNIQUE (time_slot_id) refuses it, and so does the fix's partial unique index;
-- only a schema without either would let it in.
WITH dup AS (
    INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at)
    SELECT i.time_slot_id, i.interviewer_id, 6200000000 + i.time_slot_id, 'pending', localtimestamp - interval '1 hour'
    FROM (
        SELECT time_slot_id, interviewer_id
        FROM interviews
        WHERE status = 'confirmed'
        ORDER BY time_slot_id
        LIMIT :count::int
    ) AS i
    RETURNING time_slot_id
)
SELECT count(DISTINCT time_slot_id)::int AS count FROM dup

-- name: recruiting-double-booking
-- Seed 002 (P1), planted: :count candidates who confirmed a slot (confirmed_by_candidate) and
-- then booked a second slot of the same recruiter. The legacy index
-- uq_slots_candidate_recruiter_active covers only pending and booked, so it lets the pair in.
-- The two slots sit at 17:00 and 18:00 (the base grid ends at 17:00) on a day of their own.
WITH item AS ({{items}}), ins AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT i.recruiter_id,
           date_trunc('day', now()) + (i.day * 24 + 17 + k.n) * interval '1 hour',
           60,
           CASE WHEN k.n = 0 THEN CASE WHEN i.p % 2 = 0 THEN 'CONFIRMED_BY_CANDIDATE' ELSE 'confirmed_by_candidate' END
                ELSE CASE WHEN i.p % 3 = 0 THEN 'pending' ELSE 'booked' END
           END,
           5100000000 + i.p,
           'Двойная Бронь ' || i.p,
           'Europe/Moscow',
           now() - interval '4 days' + k.n * interval '2 days',
           now() - interval '1 day'
    FROM item i
    CROSS JOIN (VALUES (0), (1)) AS k(n)
    ORDER BY i.p, k.n
    RETURNING recruiter_id, candidate_tg_id
)
SELECT count(DISTINCT (candidate_tg_id, recruiter_id))::int AS count,
       min(candidate_tg_id) AS candidate_tg_id
FROM ins

-- name: recruiting-overlapping
-- Planted: :count pairs of active slots of one recruiter that overlap, [19:00, 20:00) and
-- [19:30, 20:30), held by two different candidates. On even items a canceled slot
-- [19:45, 20:15) overlaps both; it is not active and does not count.
WITH item AS ({{items}}), ins AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT i.recruiter_id,
           date_trunc('day', now()) + (i.day * 24 + 19) * interval '1 hour' + k.offset_min * interval '1 minute',
           k.duration,
           k.status,
           CASE WHEN k.n < 2 THEN 5200000000 + 3 * i.p + k.n END,
           CASE WHEN k.n < 2 THEN 'Наложение ' || i.p || '/' || k.n END,
           CASE WHEN k.n < 2 THEN 'Europe/Moscow' END,
           now() - interval '3 days',
           now() - interval '1 day'
    FROM item i
    CROSS JOIN (VALUES (0, 0, 60, 'booked'), (1, 30, 60, 'PENDING'), (2, 45, 30, 'canceled')) AS k(n, offset_min, duration, status)
    WHERE k.n < 2 OR i.p % 2 = 0
    ORDER BY i.p, k.n
    RETURNING id, status
)
SELECT (count(*) FILTER (WHERE lower(status) <> 'canceled') / 2)::int AS count,
       min(id) AS slot_id
FROM ins

-- name: recruiting-stale-freed
-- Seed 002 (P0), planted: :count freed slots (status free, no candidate, 21:00) that kept the
-- notification logs of the candidate who left: reject_slot() clears the slot, not its logs,
-- and the next approval of the slot is silenced. Two logs per slot.
WITH item AS ({{items}}), slot AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, created_at, updated_at)
    SELECT recruiter_id, date_trunc('day', now()) + (day * 24 + 21) * interval '1 hour', 60,
           CASE WHEN p % 2 = 0 THEN 'FREE' ELSE 'free' END, now() - interval '6 days', now() - interval '1 day'
    FROM item
    ORDER BY p
    RETURNING id
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT s.id, k.type, jsonb_build_object('candidate_tg_id', 5300000000 + s.id, 'slot_id', s.id)::text, 'sent',
           now() - k.age
    FROM slot s
    CROSS JOIN (VALUES ('slot_approved', interval '3 days'), ('candidate_confirmed', interval '2 days')) AS k(type, age)
    RETURNING booking_id
)
SELECT count(*)::int AS count, min(booking_id) AS slot_id FROM logs

-- name: recruiting-stale-previous
-- Seed 002 (P0), planted: :count slots (22:00) now booked by candidate B whose slot_approved log
-- still names the previous candidate A. notification_logs is unique on (type, booking_id), so
-- B's approval is never sent: the bot thinks it already was.
WITH item AS ({{items}}), slot AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT recruiter_id, date_trunc('day', now()) + (day * 24 + 22) * interval '1 hour', 60,
           CASE WHEN p % 2 = 0 THEN 'BOOKED' ELSE 'booked' END,
           5400000000 + p, 'Новый Кандидат ' || p, 'Europe/Moscow',
           now() - interval '6 days', now() - interval '1 day'
    FROM item
    ORDER BY p
    RETURNING id, candidate_tg_id
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT id, 'slot_approved',
           jsonb_build_object('candidate_tg_id', candidate_tg_id + 100000000, 'slot_id', id)::text, 'sent',
           now() - interval '3 days'
    FROM slot
    RETURNING booking_id
)
SELECT count(*)::int AS count, min(booking_id) AS slot_id FROM logs

-- name: outbox-duplicates
-- Seed 001, planted: :count keys (type, booking_id, candidate_tg_id) enqueued twice, every third
-- one three times, all with a NULL candidate: the legacy UNIQUE never compares NULLs as equal.
-- All rows are sent (the recruiter got the message twice), so they are duplicates and nothing
-- else. One key per base slot 1..:count.
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, created_at, correlation_id)
    SELECT s.id, 'slot_rejected', jsonb_build_object('slot_id', s.id, 'reason', 'rejected_by_recruiter'), NULL,
           r.tg_chat_id, 'sent', 1, now() - interval '2 days' + c * interval '1 minute', md5('slot_rejected:' || s.id || ':' || c)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = p
    JOIN recruiters r ON r.id = s.recruiter_id
    CROSS JOIN generate_series(1, 3) AS c
    WHERE c <= 2 OR p % 3 = 0
    ORDER BY p, c
    RETURNING type, booking_id
)
SELECT count(DISTINCT (type, booking_id))::int AS count, count(*)::int AS rows FROM ins

-- name: outbox-stuck
-- Seed 001, planted: :count pending rows nobody will send, enqueued three to seven hours ago.
-- Odd items were locked by a worker ten to thirty minutes after they were enqueued, and the
-- worker died; even items were never locked and have no retry in the future (every fourth had
-- one an hour after it was enqueued, two hours ago or more: overdue for longer than the audit's
-- one hour either way).
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, created_at, locked_at, next_retry_at, correlation_id)
    SELECT s.id, 'reminder_2h', jsonb_build_object('slot_id', s.id), 5600000000 + p, r.tg_chat_id, 'pending',
           CASE WHEN p % 2 = 1 THEN 1 ELSE 0 END,
           now() - (3 + p % 5) * interval '1 hour',
           CASE WHEN p % 2 = 1 THEN now() - (3 + p % 5) * interval '1 hour' + (1 + p % 3) * interval '10 minutes' END,
           CASE WHEN p % 4 = 0 THEN now() - (2 + p % 5) * interval '1 hour' END,
           md5('reminder_2h:' || p)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = 1 + (p - 1) % :slots::int
    JOIN recruiters r ON r.id = s.recruiter_id
    ORDER BY p
    RETURNING id
)
SELECT count(*)::int AS count, min(id) AS outbox_id FROM ins

-- name: outbox-failed
-- Seed 001, planted: :count failed rows that will not be retried (no retry time, or one that
-- already passed), with the error Telegram gave.
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, last_error, created_at, next_retry_at, correlation_id)
    SELECT s.id, 'reminder_1h', jsonb_build_object('slot_id', s.id), 5700000000 + p, r.tg_chat_id, 'failed', 5,
           (ARRAY['Forbidden: bot was blocked by the user', 'Bad Request: chat not found',
                  'Too Many Requests: retry after 30'])[1 + p % 3],
           now() - (1 + p % 20) * interval '1 day',
           CASE WHEN p % 3 = 0 THEN now() - interval '1 hour' END,
           md5('reminder_1h:' || p)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = 1 + (p - 1) % :slots::int
    JOIN recruiters r ON r.id = s.recruiter_id
    ORDER BY p
    RETURNING id
)
SELECT count(*)::int AS count FROM ins

-- name: whatsapp-orphans
-- Attempted: one orphan of each kind (a bot, a conversation and a broadcast whose number does
-- not exist, a message whose conversation does not exist, a recipient whose broadcast does
-- not exist). The legacy foreign keys refuse all of them; only a schema without them would
-- let them in, and then they are what whatsapp.orphans finds.
WITH gone AS (
    SELECT (SELECT coalesce(max(id), 0) FROM whatsapp_numbers) + 1000 AS number_id,
           (SELECT coalesce(max(id), 0) FROM conversations) + 1000 AS conversation_id,
           (SELECT coalesce(max(id), 0) FROM broadcasts) + 1000 AS broadcast_id
), b AS (
    INSERT INTO bots (whatsapp_number_id, name) SELECT number_id, 'Сирота' FROM gone RETURNING id
), c AS (
    INSERT INTO conversations (whatsapp_number_id, contact_phone) SELECT number_id, '+79160000000' FROM gone RETURNING id
), br AS (
    INSERT INTO broadcasts (whatsapp_number_id, title) SELECT number_id, 'Сирота' FROM gone RETURNING id
), m AS (
    INSERT INTO whatsapp_messages (conversation_id, direction, body) SELECT conversation_id, 'in', 'Сирота' FROM gone RETURNING id
), r AS (
    INSERT INTO broadcast_recipients (broadcast_id, phone) SELECT broadcast_id, '+79250000000' FROM gone RETURNING id
)
SELECT ((SELECT count(*) FROM b) + (SELECT count(*) FROM c) + (SELECT count(*) FROM br)
        + (SELECT count(*) FROM m) + (SELECT count(*) FROM r))::int AS count

-- name: chats-blocked-rooms
-- Seed 004, planted (first half): the rooms of :count pairs, soft-deleted. The pairs' active
-- bookings come next (chats-bookings); the legacy UNIQUE (teacher_id, student_id) also counts
-- deleted rooms, so neither the trigger nor get-or-create can open a new one.
WITH ins AS (
    INSERT INTO chat_rooms (id, teacher_id, student_id, last_message_at, created_at, updated_at, deleted_at)
    SELECT md5('bookops-demo/room/blocked/' || n)::uuid,
           md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
           md5('bookops-demo/blocked/' || n)::uuid,
           localtimestamp - interval '40 days', localtimestamp - interval '60 days',
           localtimestamp - (1 + n % 20) * interval '1 day', localtimestamp - (1 + n % 20) * interval '1 day'
    FROM generate_series(1, :count::int) AS n
    RETURNING id
)
SELECT count(*)::int AS rows FROM ins

-- name: chats-self-rooms
-- Seed 004, planted: rooms of teachers 1..:count with themselves (teacher_id = student_id).
WITH ins AS (
    INSERT INTO chat_rooms (id, teacher_id, student_id, created_at, updated_at)
    SELECT md5('bookops-demo/room/self/' || t)::uuid, u.id, u.id, localtimestamp - interval '20 days',
           localtimestamp - interval '20 days'
    FROM generate_series(1, :count::int) AS t
    CROSS JOIN LATERAL (SELECT md5('bookops-demo/teacher/' || t)::uuid AS id) AS u
    RETURNING id
)
SELECT count(*)::int AS rows FROM ins

-- name: chats-duplicate
-- Attempted: a second live room for the first pair of the base. The legacy UNIQUE (teacher_id,
-- student_id) refuses it, and so would a unique index on live rooms only.
WITH ins AS (
    INSERT INTO chat_rooms (teacher_id, student_id)
    SELECT teacher_id, student_id FROM chat_rooms WHERE id = md5('bookops-demo/room/0')::uuid
    RETURNING teacher_id, student_id
)
SELECT count(DISTINCT (teacher_id, student_id))::int AS count FROM ins

-- name: items
-- The :count planted items of a recruiting defect, spread over the :recruiters recruiters: item
-- p goes to recruiter 1 + (p - 1) % :recruiters, on day 1 + (p - 1) / :recruiters from today.
SELECT p, 1 + (p - 1) % :recruiters::int AS recruiter_id, 1 + (p - 1) / :recruiters::int AS day
FROM generate_series(1, :count::int) AS p
