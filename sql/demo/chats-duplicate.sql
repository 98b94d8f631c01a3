-- Attempted: a second live room for the first pair of the base. The legacy UNIQUE (teacher_id,
-- student_id) refuses it, and so would a unique index on live rooms only.
WITH ins AS (
    INSERT INTO chat_rooms (teacher_id, student_id)
    SELECT teacher_id, student_id FROM chat_rooms WHERE id = md5('bookops-demo/room/0')::uuid
    RETURNING teacher_id, student_id
)
SELECT count(DISTINCT (teacher_id, student_id))::int AS count FROM ins
