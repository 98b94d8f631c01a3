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
