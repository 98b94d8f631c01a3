-- outbox.failed: failed rows past their last attempt, i.e. with no retry scheduled in the future.
WITH offending AS (
    SELECT o.id,
           o.type,
           o.booking_id,
           o.candidate_tg_id,
           o.attempts,
           left(o.last_error, 200) AS last_error,
           o.created_at,
           o.next_retry_at
    FROM outbox_notifications o
    WHERE lower(o.status) = :outboxFailed
      AND (o.next_retry_at IS NULL OR o.next_retry_at <= now())
)
SELECT count(*) OVER () AS total, f.*
FROM offending f
ORDER BY f.created_at, f.id
LIMIT :sample
