-- Back to pending for the worker to pick up now: retry budget reset, lock cleared, due now (so
-- audit outbox.stuck counts the wait from the requeue, not from the row's creation);
-- last_error stays as history.
status = :pendingStatus, attempts = 0, locked_at = NULL, next_retry_at = now()
