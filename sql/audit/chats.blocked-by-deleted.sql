-- chats.blocked-by-deleted: pairs with an active booking whose only rooms are soft-deleted. A
-- soft-deleted room is neither resurrected nor duplicated (the trigger, the backfill and
-- get-or-create skip a pair that has any room; the legacy UNIQUE (teacher_id, student_id) counts
-- it too): restore it, or delete it if it has no messages (their foreign key blocks that).
WITH pairs AS (
    SELECT l.teacher_id, b.student_id, count(*) AS bookings
    FROM bookings b
    JOIN lessons l ON l.id = b.lesson_id
    WHERE lower(b.status) = :bookingActive
      AND b.deleted_at IS NULL
      AND l.deleted_at IS NULL
      AND l.teacher_id <> b.student_id
    GROUP BY l.teacher_id, b.student_id
), offending AS (
    SELECT p.teacher_id,
           p.student_id,
           p.bookings,
           array_agg(r.id ORDER BY r.deleted_at DESC) AS deleted_room_ids,
           max(r.deleted_at) AS deleted_at
    FROM pairs p
    JOIN chat_rooms r ON r.teacher_id = p.teacher_id AND r.student_id = p.student_id
    WHERE NOT EXISTS (
        SELECT FROM chat_rooms live
        WHERE live.teacher_id = p.teacher_id AND live.student_id = p.student_id AND live.deleted_at IS NULL
    )
    GROUP BY p.teacher_id, p.student_id, p.bookings
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.teacher_id, o.student_id
LIMIT :sample
