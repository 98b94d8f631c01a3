-- chats.duplicates: pairs with more than one room that is not soft-deleted.
WITH offending AS (
    SELECT r.teacher_id,
           r.student_id,
           count(*) AS rooms,
           array_agg(r.id ORDER BY r.created_at, r.id) AS room_ids
    FROM chat_rooms r
    WHERE r.deleted_at IS NULL
    GROUP BY r.teacher_id, r.student_id
    HAVING count(*) > 1
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.teacher_id, o.student_id
LIMIT :sample
