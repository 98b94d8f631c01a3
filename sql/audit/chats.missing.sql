-- chats.missing: (teacher, student) pairs with an active booking and no chat room at all.
-- Teacher = the lesson's teacher, student = the booking's student; the booking and its lesson
-- are not soft-deleted, the teacher is not the student. Active = :bookingActive, lower-cased.
-- A pair whose only room is soft-deleted is chats.blocked-by-deleted, not this.
WITH offending AS (
    SELECT l.teacher_id,
           b.student_id,
           count(*) AS bookings,
           (array_agg(b.id ORDER BY b.id))[1:3] AS booking_ids
    FROM bookings b
    JOIN lessons l ON l.id = b.lesson_id
    WHERE lower(b.status) = :bookingActive
      AND b.deleted_at IS NULL
      AND l.deleted_at IS NULL
      AND l.teacher_id <> b.student_id
      AND NOT EXISTS (
          SELECT FROM chat_rooms r
          WHERE r.teacher_id = l.teacher_id AND r.student_id = b.student_id
      )
    GROUP BY l.teacher_id, b.student_id
)
SELECT count(*) OVER () AS total, sum(o.bookings) OVER () AS total_bookings, o.*
FROM offending o
ORDER BY o.teacher_id, o.student_id
LIMIT :sample
