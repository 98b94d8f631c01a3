-- The planted chat defects as they stand after planting, counted over the planted pairs, their
-- planted bookings (found by primary key) and the planted teachers only: a chat trigger of a
-- fixed schema may have opened rooms for some. missing.<n>: an active booking and no room at
-- all; blocked.<n>: an active booking and only soft-deleted rooms; rooms of the planted
-- teachers with themselves.
WITH planted AS (
    SELECT 'missing' AS kind,
           md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid AS teacher_id,
           md5('bookops-demo/missing/' || n)::uuid AS student_id,
           ARRAY[md5('bookops-demo/booking/missing/' || n || '/1')::uuid,
                 md5('bookops-demo/booking/missing/' || n || '/2')::uuid] AS booking_ids
    FROM generate_series(1, :missing::int) AS n
    UNION ALL
    SELECT 'blocked',
           md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
           md5('bookops-demo/blocked/' || n)::uuid,
           ARRAY[md5('bookops-demo/booking/blocked/' || n || '/1')::uuid]
    FROM generate_series(1, :blocked::int) AS n
), state AS (
    SELECT p.kind,
           EXISTS (SELECT 1 FROM bookings b JOIN lessons l ON l.id = b.lesson_id
                   WHERE b.id = ANY(p.booking_ids) AND b.student_id = p.student_id AND l.teacher_id = p.teacher_id
                     AND lower(b.status) = :active AND b.deleted_at IS NULL AND l.deleted_at IS NULL) AS booked,
           EXISTS (SELECT 1 FROM chat_rooms r
                   WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id AND r.deleted_at IS NULL) AS live_room,
           EXISTS (SELECT 1 FROM chat_rooms r
                   WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id AND r.deleted_at IS NOT NULL) AS deleted_room
    FROM planted p
)
SELECT (count(*) FILTER (WHERE kind = 'missing' AND booked AND NOT live_room AND NOT deleted_room))::int AS missing,
       (count(*) FILTER (WHERE kind = 'blocked' AND booked AND NOT live_room AND deleted_room))::int AS blocked,
       (SELECT count(*) FROM chat_rooms r
        WHERE r.teacher_id = r.student_id
          AND r.teacher_id IN (SELECT md5('bookops-demo/teacher/' || t)::uuid FROM generate_series(1, :selfTo::int) AS t))::int AS self_rooms,
       md5('bookops-demo/teacher/1')::uuid AS missing_teacher_id,
       md5('bookops-demo/missing/1')::uuid AS missing_student_id
FROM state
