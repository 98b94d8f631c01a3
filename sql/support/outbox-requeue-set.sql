-- Back to pending for the worker to pick up now: retry budget reset, lock and retry time
-- cleared (as the idempotent enqueue refreshes a pending row); last_error stays as history.
status = :pendingStatus, attempts = 0, locked_at = NULL, next_retry_at = NULL
