-- chats.self-rooms: rooms (not soft-deleted) whose teacher is also their student: a teacher who
-- booked their own lesson. The trigger and the backfill never create one.
WITH offending AS (
    SELECT r.id AS room_id, r.teacher_id, r.student_id, r.created_at
    FROM chat_rooms r
    WHERE r.teacher_id = r.student_id
      AND r.deleted_at IS NULL
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.created_at, o.room_id
LIMIT :sample
