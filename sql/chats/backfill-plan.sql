-- The backfill's plan, in one read-only scan (hash joins, no lock beyond reading): every active
-- booking whose (teacher, student) pair has no room at all (chats.missing's rule), in id order,
-- for the backfill function, and how many pairs they make. A pair whose only room is
-- soft-deleted is left out: the backfill cannot create it (chats.blocked-by-deleted).
WITH missing AS (
    SELECT b.id, l.teacher_id, b.student_id
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
)
SELECT coalesce(array_agg(id::text ORDER BY id), '{}') AS booking_ids,
       count(DISTINCT (teacher_id, student_id))::integer AS pairs
FROM missing
