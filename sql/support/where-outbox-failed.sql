-- outbox retry-failed (alias t): failed rows with no retry scheduled in the future
-- (docs/CHECKS.md outbox.failed), optionally of one type.
lower(t.status) = :failedStatus
AND (t.next_retry_at IS NULL OR t.next_retry_at <= now())
AND (CAST(:type AS text) IS NULL OR t.type = CAST(:type AS text))
