-- outbox stats: the counts of the outbox checks of docs/CHECKS.md, in one scan: duplicate keys
-- (NULLs equal) and their extra rows, stuck pending rows (locked longer ago than :lockedForMs, or
-- unlocked, older than :pendingForMs and not scheduled for a retry in the future), failed rows
-- with no retry in the future.
WITH keys AS (
    SELECT count(*) AS n
    FROM outbox_notifications AS o
    GROUP BY o.type, o.booking_id, o.candidate_tg_id
    HAVING count(*) > 1
)
SELECT (SELECT count(*) FROM keys)::int AS duplicate_keys,
       (SELECT coalesce(sum(n - 1), 0) FROM keys)::int AS duplicate_rows,
       count(*) FILTER (
           WHERE lower(o.status) = :pendingStatus
             AND ((o.locked_at IS NOT NULL AND o.locked_at < now() - make_interval(secs => :lockedForMs / 1000.0))
                  OR (o.locked_at IS NULL
                      AND o.created_at < now() - make_interval(secs => :pendingForMs / 1000.0)
                      AND (o.next_retry_at IS NULL OR o.next_retry_at <= now())))
       )::int AS stuck,
       count(*) FILTER (
           WHERE lower(o.status) = :failedStatus AND (o.next_retry_at IS NULL OR o.next_retry_at <= now())
       )::int AS failed_without_retry
FROM outbox_notifications AS o
