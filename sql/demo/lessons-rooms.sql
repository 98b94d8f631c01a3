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
