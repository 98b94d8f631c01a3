-- outbox.stuck: pending rows a worker locked longer ago than :lockedForMs (the worker died
-- holding them), or unlocked rows due (next_retry_at, else created_at) longer ago than
-- :pendingForMs (nobody is picking them up; a retry scheduled in the future is not due yet).
WITH offending AS (
    SELECT o.id,
           o.type,
           o.booking_id,
           o.candidate_tg_id,
           o.status,
           o.attempts,
           o.created_at,
           o.locked_at,
           o.next_retry_at,
           CASE WHEN o.locked_at IS NOT NULL THEN 'locked' ELSE 'pending' END AS stuck_as,
           date_trunc('second', now() - coalesce(o.locked_at, o.next_retry_at, o.created_at))::text AS stuck_for
    FROM outbox_notifications o
    WHERE lower(o.status) = :outboxPending
      AND (
          (o.locked_at IS NOT NULL AND o.locked_at < now() - make_interval(secs => :lockedForMs / 1000.0))
          OR (o.locked_at IS NULL
              AND coalesce(o.next_retry_at, o.created_at) < now() - make_interval(secs => :pendingForMs / 1000.0))
      )
)
SELECT count(*) OVER () AS total, s.*
FROM offending s
ORDER BY coalesce(s.locked_at, s.next_retry_at, s.created_at), s.id
LIMIT :sample
