-- The lessons platform (seed 004): bookings and their activation.

-- name: lock-booking
-- Locks a booking for its activation, with the lesson's teacher: concurrent activations of one
-- booking are serialised, and the status read here is the one the update replaces.
SELECT b.*, l.teacher_id, l.deleted_at AS lesson_deleted_at,
       lower(b.status) IS NOT DISTINCT FROM :bookingActive AS active
FROM bookings AS b
JOIN lessons AS l ON l.id = b.lesson_id
WHERE b.id = CAST(:bookingId AS uuid)
FOR NO KEY UPDATE OF b

-- name: activate-booking
-- The status change that fires migration 0006's update trigger (when present).
UPDATE bookings SET status = :bookingActive, updated_at = now()
WHERE id = CAST(:bookingId AS uuid)
RETURNING *
