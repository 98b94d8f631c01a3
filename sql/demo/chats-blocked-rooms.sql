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
