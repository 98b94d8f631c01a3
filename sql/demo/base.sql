-- The healthy base of the demo data, set-based, module by module (bookops demo seed).

-- name: interviews-base
-- Interview bot (seed 000), the healthy base: :slots time slots of :interviewers interviewers,
-- eight a working day (09:00 to 17:00) from three weeks back on, ids 1..:slots. Six slots in
-- ten carry one active interview (confirmed or pending); none is cancelled, because under the
-- legacy UNIQUE (time_slot_id) every cancelled interview blocks its slot (planted separately).
WITH slot AS (
    INSERT INTO time_slots (id, interviewer_id, start_time, end_time, created_at)
    SELECT g, 1 + (g - 1) % :interviewers::int, t.start_time, t.start_time + interval '45 minutes',
           t.start_time - interval '14 days'
    FROM generate_series(1, :slots::int) AS g
    CROSS JOIN LATERAL (SELECT (g - 1) / :interviewers::int AS j) AS p
    CROSS JOIN LATERAL (
        SELECT date_trunc('day', localtimestamp) - interval '21 days'
               + (p.j / 8 * 24 + 9 + p.j % 8) * interval '1 hour' AS start_time
    ) AS t
    RETURNING id, interviewer_id, start_time
)
INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at)
SELECT id, interviewer_id, 6000000000 + id,
       CASE WHEN id % 10 < 8 THEN 'confirmed' ELSE 'pending' END,
       start_time - interval '3 days'
FROM slot
WHERE id % 10 >= 4

-- name: recruiting-slots
-- Recruiting bot (seeds 001, 002), the healthy base: :recruiters recruiters and :slots slots,
-- ids 1..:slots, each recruiter's slots on a grid of eight a working day (09:00 to 17:00 UTC
-- around today), so no two of them overlap: intervals are half-open, [start, start + duration),
-- and a 60-minute slot ends exactly where the next one starts. Every candidate holds one slot
-- at most. Statuses in twenty: 6 free, 3 pending, 5 booked, 4 confirmed_by_candidate,
-- 2 canceled; every seventh slot is written in upper case (the writers disagree on case).
WITH recruiter AS (
    INSERT INTO recruiters (id, name, tg_chat_id, active, created_at)
    SELECT r,
           (ARRAY['Анна', 'Ольга', 'Дмитрий', 'Екатерина', 'Сергей', 'Наталья', 'Алексей', 'Юлия'])[1 + r % 8]
             || ' ' || (ARRAY['Ким', 'Шевченко', 'Коваленко', 'Бондаренко', 'Ли', 'Ткаченко', 'Кравец'])[1 + r % 7],
           4000000000 + r, r % 25 <> 0, now() - interval '400 days'
    FROM generate_series(1, :recruiters::int) AS r
)
INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                   candidate_tz, created_at, updated_at)
SELECT g, 1 + (g - 1) % :recruiters::int, t.start_utc, (ARRAY[60, 60, 45, 30])[1 + g % 4],
       CASE WHEN g % 7 = 0 THEN upper(s.status) ELSE s.status END,
       CASE WHEN s.status <> 'free' THEN 5000000000 + g END,
       CASE WHEN s.status <> 'free' THEN
           (ARRAY['Иван', 'Мария', 'Павел', 'Елена', 'Артём', 'Ольга', 'Никита', 'Дарья'])[1 + g % 8]
           || ' ' || (ARRAY['Мельник', 'Кузьменко', 'Лысенко', 'Ким', 'Гончаренко', 'Руденко', 'Савченко'])[1 + g % 7]
       END,
       CASE WHEN s.status <> 'free' THEN
           (ARRAY['Europe/Moscow', 'Asia/Yekaterinburg', 'Europe/Samara', 'Asia/Novosibirsk'])[1 + g % 4]
       END,
       t.start_utc - interval '20 days', t.start_utc - interval '2 days'
FROM generate_series(1, :slots::int) AS g
CROSS JOIN LATERAL (
    SELECT (g - 1) / :recruiters::int AS j,
           (ARRAY['free', 'free', 'free', 'free', 'free', 'free', 'pending', 'pending', 'pending',
                  'booked', 'booked', 'booked', 'booked', 'booked',
                  'confirmed_by_candidate', 'confirmed_by_candidate', 'confirmed_by_candidate',
                  'confirmed_by_candidate', 'canceled', 'canceled'])[1 + g % 20] AS status
) AS s
CROSS JOIN LATERAL (
    SELECT date_trunc('day', now()) - (:slotDays::int / 2 * 24) * interval '1 hour'
           + (s.j / 8 * 24 + 9 + s.j % 8) * interval '1 hour' AS start_utc
) AS t

-- name: recruiting-activity
-- What the recruiting bot wrote for the base slots, all of it healthy: for every booked or
-- confirmed slot a slot_approved notification log whose payload names the slot's current
-- candidate, and the approval message in the outbox (interview_confirmed), already sent; for confirmed slots also
-- candidate_confirmed (log and outbox) and two reminder jobs. Nothing is pending, so nothing
-- becomes stuck as time passes.
WITH approved AS (
    SELECT s.id, s.candidate_tg_id, s.start_utc, lower(s.status) AS status, r.tg_chat_id
    FROM slots s
    JOIN recruiters r ON r.id = s.recruiter_id
    WHERE lower(s.status) IN ('booked', 'confirmed_by_candidate')
), note AS (
    SELECT a.id, a.candidate_tg_id, a.start_utc, a.tg_chat_id, k.type, a.start_utc - k.before AS at
    FROM approved a
    CROSS JOIN (VALUES ('slot_approved', interval '3 days'), ('candidate_confirmed', interval '2 days')) AS k(type, before)
    WHERE k.type = 'slot_approved' OR a.status = 'confirmed_by_candidate'
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT id, type, jsonb_build_object('candidate_tg_id', candidate_tg_id, 'slot_id', id)::text, 'sent', at
    FROM note
), jobs AS (
    INSERT INTO slot_reminder_jobs (slot_id, kind, job_id, scheduled_at, created_at)
    SELECT a.id, k.kind, 'slot-' || a.id || '-' || k.kind, a.start_utc - k.before, a.start_utc - interval '2 days'
    FROM approved a
    CROSS JOIN (VALUES ('remind_2h', interval '2 hours'), ('remind_1h', interval '1 hour')) AS k(kind, before)
    WHERE a.status = 'confirmed_by_candidate'
)
INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                  attempts, created_at, correlation_id)
-- The outbox names the approval message as the rules do (OUTBOX_TYPES in notification-types.ts).
SELECT id, CASE type WHEN 'slot_approved' THEN 'interview_confirmed' ELSE type END,
       jsonb_build_object('slot_id', id, 'start_utc', start_utc), candidate_tg_id, tg_chat_id, 'sent',
       1, at, md5(type || ':' || id)
FROM note

-- name: lessons-users
-- Lessons platform (seed 004): every user the demo needs, with ids derived from a name
-- (md5('bookops-demo/<kind>/<n>')::uuid) so that lessons, bookings and rooms find them without a
-- lookup: :teachers teachers, :students students of the base, and the students of the planted
-- pairs (missing.<n>, blocked.<n>) and of the decoys (decoy.<n>).
INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at)
SELECT md5('bookops-demo/' || u.kind || '/' || u.n)::uuid,
       u.kind || '.' || u.n || '@demo.bookops.test',
       (ARRAY['Алиса', 'Борис', 'Вера', 'Глеб', 'Дина', 'Егор', 'Зоя', 'Илья', 'Кира'])[1 + u.n % 9],
       (ARRAY['Орлова', 'Соколов', 'Волкова', 'Зайцев', 'Морозова', 'Лебедев', 'Козлова'])[1 + u.n % 7],
       CASE WHEN u.kind = 'teacher' THEN 'teacher' ELSE 'student' END,
       localtimestamp - interval '500 days' + (u.n % 300) * interval '1 day',
       localtimestamp - (u.n % 30) * interval '1 day'
FROM (
    SELECT 'teacher' AS kind, n FROM generate_series(1, :teachers::int) AS n
    UNION ALL SELECT 'student', n FROM generate_series(1, :students::int) AS n
    UNION ALL SELECT 'missing', n FROM generate_series(1, :missing::int) AS n
    UNION ALL SELECT 'blocked', n FROM generate_series(1, :blocked::int) AS n
    UNION ALL SELECT 'decoy', n FROM generate_series(1, 2 * :decoys::int) AS n
) AS u

-- name: lessons-rooms
-- The base's chat rooms, created before any booking (so a chat trigger of a fixed schema finds
-- them and adds nothing): one per (teacher, student) pair p in 0..:pairs - 1, where student
-- p / 3 + 1 has three teachers, (p / 3 + p % 3) % :teachers + 1; one to four messages each.
WITH pair AS (
    SELECT p,
           md5('bookops-demo/room/' || p)::uuid AS room_id,
           md5('bookops-demo/teacher/' || ((p / 3 + p % 3) % :teachers::int + 1))::uuid AS teacher_id,
           md5('bookops-demo/student/' || (p / 3 + 1))::uuid AS student_id,
           localtimestamp - interval '30 days' + (p % 30) * interval '1 day' AS created_at
    FROM generate_series(0, :pairs::int - 1) AS p
), room AS (
    INSERT INTO chat_rooms (id, teacher_id, student_id, last_message_at, created_at, updated_at)
    SELECT room_id, teacher_id, student_id, created_at + (1 + p % 4) * interval '10 minutes', created_at, created_at
    FROM pair
)
INSERT INTO messages (chat_room_id, sender_id, message_text, status, moderation_completed_at, created_at)
SELECT p.room_id, CASE WHEN m % 2 = 1 THEN p.student_id ELSE p.teacher_id END,
       (ARRAY['Здравствуйте! Когда следующее занятие?', 'Во вторник в 18:00', 'Домашнее задание готово',
              'Отлично, проверю к уроку', 'Можно перенести на час позже?'])[1 + (p.p + m) % 5],
       s.status,
       CASE WHEN s.status <> 'pending_moderation' THEN p.created_at + m * interval '10 minutes' + interval '5 seconds' END,
       p.created_at + m * interval '10 minutes'
FROM pair p
CROSS JOIN LATERAL generate_series(1, 1 + p.p % 4) AS m
CROSS JOIN LATERAL (
    SELECT CASE WHEN (p.p + m) % 23 = 0 THEN 'blocked' WHEN (p.p + m) % 11 = 0 THEN 'pending_moderation' ELSE 'delivered' END AS status
) AS s

-- name: lessons-bookings
-- The base's lessons and bookings, all of healthy pairs (every pair has its room): :lessons
-- lessons, lesson g of pair (g - 1) % :pairs, weekly from two weeks back on; one booking each,
-- by the lesson's student: cancelled for g % 10 = 9, else completed when the lesson lies
-- before today and active after. Every 97th lesson and 89th booking is soft-deleted.
WITH x AS (
    SELECT g, p, day,
           md5('bookops-demo/lesson/' || g)::uuid AS lesson_id,
           md5('bookops-demo/teacher/' || ((p / 3 + p % 3) % :teachers::int + 1))::uuid AS teacher_id,
           md5('bookops-demo/student/' || (p / 3 + 1))::uuid AS student_id,
           date_trunc('day', localtimestamp) - interval '14 days' + day * interval '1 day'
             + (9 + p % 10) * interval '1 hour' AS start_time
    FROM generate_series(1, :lessons::int) AS g
    CROSS JOIN LATERAL (SELECT (g - 1) % :pairs::int AS p) AS a
    CROSS JOIN LATERAL (SELECT (g - 1) / :pairs::int * 7 + a.p % 7 AS day) AS b
), lesson AS (
    INSERT INTO lessons (id, teacher_id, student_id, start_time, end_time, created_at, updated_at, deleted_at)
    SELECT lesson_id, teacher_id, student_id, start_time, start_time + interval '1 hour',
           start_time - interval '10 days', start_time - interval '10 days',
           CASE WHEN g % 97 = 0 THEN start_time - interval '1 day' END
    FROM x
)
INSERT INTO bookings (id, lesson_id, student_id, status, created_at, updated_at, deleted_at)
SELECT md5('bookops-demo/booking/' || g)::uuid, lesson_id, student_id,
       CASE WHEN g % 10 = 9 THEN 'cancelled' WHEN day < 14 THEN 'completed' ELSE 'active' END,
       start_time - interval '9 days', start_time - interval '9 days',
       CASE WHEN g % 89 = 0 THEN start_time - interval '2 days' END
FROM x

-- name: whatsapp-numbers
-- WhatsApp bot (seed 003), the healthy base around the numbers: :numbers numbers (every tenth
-- deactivated, the alternative to deleting), one or two bots each, :broadcasts broadcasts
-- spread over the numbers with :recipients recipients each. Number 1 has all of these.
WITH number AS (
    INSERT INTO whatsapp_numbers (id, phone_number, display_name, is_active, created_at, updated_at)
    SELECT w, '+7900' || lpad(w::text, 7, '0'),
           (ARRAY['Поддержка', 'Продажи', 'Запись', 'Доставка', 'Клиника'])[1 + w % 5] || ' ' || w,
           w % 10 <> 0, localtimestamp - interval '300 days', localtimestamp - (w % 30) * interval '1 day'
    FROM generate_series(1, :numbers::int) AS w
    RETURNING id, phone_number
), bot AS (
    INSERT INTO bots (whatsapp_number_id, name, scenario, is_active, created_at)
    SELECT w, k.name || ' #' || w, jsonb_build_object('steps', k.steps, 'version', 1 + w % 4), w % 10 <> 0,
           localtimestamp - interval '250 days'
    FROM generate_series(1, :numbers::int) AS w
    CROSS JOIN (VALUES (1, 'FAQ-бот', '["greeting", "menu", "answer"]'::jsonb),
                       (2, 'Запись на приём', '["greeting", "choose_slot", "confirm"]'::jsonb)) AS k(n, name, steps)
    WHERE k.n = 1 OR w % 2 = 1
), broadcast AS (
    INSERT INTO broadcasts (id, whatsapp_number_id, title, message_text, status, scheduled_at, created_at)
    SELECT b, 1 + (b - 1) % :numbers::int,
           (ARRAY['Акция недели', 'Напоминание о записи', 'Новые часы работы', 'Опрос'])[1 + b % 4] || ' ' || b,
           'Здравствуйте! ' || md5(b::text),
           (ARRAY['sent', 'sent', 'scheduled', 'draft'])[1 + b % 4],
           localtimestamp + ((b % 4) - 1) * interval '3 days',
           localtimestamp - (b % 60) * interval '1 day'
    FROM generate_series(1, :broadcasts::int) AS b
    RETURNING id, status, scheduled_at
), recipient AS (
    INSERT INTO broadcast_recipients (broadcast_id, phone, status, sent_at)
    SELECT b.id, '+7925' || lpad(((b.id * 7919 + r * 104729) % 10000000)::text, 7, '0'),
           CASE WHEN b.status <> 'sent' THEN 'queued' ELSE (ARRAY['sent', 'delivered', 'delivered', 'read', 'failed'])[1 + r % 5] END,
           CASE WHEN b.status = 'sent' THEN b.scheduled_at + r * interval '1 second' END
    FROM broadcast b
    CROSS JOIN generate_series(1, :recipients::int) AS r
)
SELECT min(phone_number) AS phone_number FROM number WHERE id = 1

-- name: whatsapp-conversations
-- WhatsApp bot, the bulk: :conversations conversations spread over the numbers, ids
-- 1..:conversations, with one to five messages each (three on average), in and out in turn.
WITH conversation AS (
    INSERT INTO conversations (id, whatsapp_number_id, contact_phone, status, started_at, last_message_at)
    SELECT g, 1 + (g - 1) % :numbers::int, '+7916' || lpad(((g::bigint * 7919) % 10000000)::text, 7, '0'),
           (ARRAY['open', 'closed', 'closed', 'open', 'closed'])[1 + g % 5],
           t.started_at, t.started_at + (1 + g % 5) * interval '3 minutes'
    FROM generate_series(1, :conversations::int) AS g
    CROSS JOIN LATERAL (
        SELECT date_trunc('minute', localtimestamp) - (g % 90) * interval '1 day' - (g % 600) * interval '1 minute' AS started_at
    ) AS t
    RETURNING id, started_at
)
INSERT INTO whatsapp_messages (conversation_id, direction, body, created_at)
SELECT c.id, CASE WHEN m % 2 = 1 THEN 'in' ELSE 'out' END,
       CASE WHEN m % 2 = 1
            THEN (ARRAY['Здравствуйте, можно записаться?', 'Сколько стоит?', 'Спасибо!', 'Где вы находитесь?'])[1 + (c.id + m) % 4]
            ELSE (ARRAY['Добрый день! Чем помочь?', 'Выберите удобное время', 'Ждём вас!', 'Адрес отправили в профиле'])[1 + (c.id + m) % 4]
       END,
       c.started_at + m * interval '3 minutes'
FROM conversation c
CROSS JOIN LATERAL generate_series(1, 1 + c.id % 5) AS m

-- name: chats-bookings
-- Seed 004, planted (second half): upcoming lessons with active bookings and no live room.
--   missing.<n>  :missing pairs with no room at all (two bookings for every third pair);
--   blocked.<n>  :blocked pairs whose only room is soft-deleted (chats-blocked-rooms);
-- and decoys that must not count as missing:
--   teachers :selfFrom..:selfTo booked on their own lessons (teacher = student);
--   decoy.1..:decoys active bookings on soft-deleted lessons;
--   decoy.(:decoys + 1)..(2 * :decoys) soft-deleted active bookings.
WITH item AS (
    SELECT kind, n, k, teacher_id, student_id, lesson_deleted, booking_deleted,
           md5('bookops-demo/lesson/' || kind || '/' || n || '/' || k)::uuid AS lesson_id,
           date_trunc('day', localtimestamp) + (2 + n % 10) * interval '1 day' + (14 + k) * interval '1 hour' AS start_time
    FROM (
        SELECT 'missing' AS kind, n, k,
               md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid AS teacher_id,
               md5('bookops-demo/missing/' || n)::uuid AS student_id, false AS lesson_deleted, false AS booking_deleted
        FROM generate_series(1, :missing::int) AS n
        CROSS JOIN generate_series(1, 2) AS k
        WHERE k = 1 OR n % 3 = 0
        UNION ALL
        SELECT 'blocked', n, 1, md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
               md5('bookops-demo/blocked/' || n)::uuid, false, false
        FROM generate_series(1, :blocked::int) AS n
        UNION ALL
        SELECT 'self', t, 1, md5('bookops-demo/teacher/' || t)::uuid, md5('bookops-demo/teacher/' || t)::uuid, false, false
        FROM generate_series(:selfFrom::int, :selfTo::int) AS t
        UNION ALL
        SELECT 'decoy', n, 1, md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
               md5('bookops-demo/decoy/' || n)::uuid, n <= :decoys::int, n > :decoys::int
        FROM generate_series(1, 2 * :decoys::int) AS n
    ) AS i
), lesson AS (
    INSERT INTO lessons (id, teacher_id, student_id, start_time, end_time, created_at, updated_at, deleted_at)
    SELECT lesson_id, teacher_id, student_id, start_time, start_time + interval '1 hour',
           localtimestamp - interval '3 days', localtimestamp - interval '3 days',
           CASE WHEN lesson_deleted THEN localtimestamp - interval '1 day' END
    FROM item
), booking AS (
    INSERT INTO bookings (id, lesson_id, student_id, status, created_at, updated_at, deleted_at)
    SELECT md5('bookops-demo/booking/' || kind || '/' || n || '/' || k)::uuid, lesson_id, student_id, 'active',
           localtimestamp - interval '2 days', localtimestamp - interval '2 days',
           CASE WHEN booking_deleted THEN localtimestamp - interval '1 day' END
    FROM item
    RETURNING id
)
SELECT count(*)::int AS rows FROM booking

-- name: logs-fill-candidate
-- Only when notification_logs has the fix's candidate_tg_id column: fill it from the JSON
-- payload, which is where the legacy writers kept the candidate.
UPDATE notification_logs
SET candidate_tg_id = (payload::jsonb ->> 'candidate_tg_id')::bigint
WHERE candidate_tg_id IS NULL
  AND payload IS NOT NULL
