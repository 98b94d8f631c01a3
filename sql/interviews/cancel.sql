-- Cancels an active interview and keeps the row (history: who cancelled, when). Deciding on the
-- status in the UPDATE makes a second cancel a no-op rather than a second change.
UPDATE interviews
SET status = :cancelledStatus, cancelled_at = now()
WHERE id = :interviewId AND lower(status) = ANY(:interviewActive)
RETURNING *
