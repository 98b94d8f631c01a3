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
