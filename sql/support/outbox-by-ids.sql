-- outbox requeue: the named rows and whether each may go back to pending: failed; pending and
-- locked longer ago than :lockedForMs (the worker died holding it); pending and not locked
-- (requeueing only clears its retry time). A sent row, or one a worker locked recently, may not.
SELECT o.id, o.type, o.booking_id, o.candidate_tg_id, o.status, o.attempts, o.locked_at, o.next_retry_at,
       left(o.last_error, 120) AS last_error,
       CASE WHEN lower(o.status) = :failedStatus THEN 'failed'
            WHEN lower(o.status) = :pendingStatus AND o.locked_at IS NULL THEN 'pending'
            WHEN lower(o.status) = :pendingStatus
                 AND o.locked_at < now() - make_interval(secs => :lockedForMs / 1000.0) THEN 'stuck'
            WHEN lower(o.status) = :pendingStatus THEN 'in-flight'
            ELSE lower(o.status)
       END AS state
FROM outbox_notifications AS o
WHERE o.id = ANY(CAST(:ids AS integer[]))
ORDER BY o.id
