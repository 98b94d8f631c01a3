-- Idempotent enqueue keyed by (type, booking_id, candidate_tg_id), whatever the status of an
-- existing row (seed 001). The unique key decides: a new key inserts a pending row; a pending
-- row is refreshed for the retry (payload, recruiter and correlation id when given, attempts
-- reset, lock and retry time cleared); a sent or failed row is left exactly as it is (the
-- DO UPDATE's WHERE is false for it, so it is only locked, never rewritten).
-- created: xmax is 0 only on a freshly inserted row version.
INSERT INTO outbox_notifications AS o
    (type, booking_id, candidate_tg_id, recruiter_tg_id, payload_json, correlation_id, status, attempts)
VALUES
    (CAST(:type AS varchar), CAST(:bookingId AS integer), CAST(:candidateTgId AS bigint), CAST(:recruiterTgId AS bigint),
     CAST(:payload AS jsonb), CAST(:correlationId AS varchar), CAST(:pendingStatus AS varchar), 0)
ON CONFLICT (type, booking_id, candidate_tg_id) DO UPDATE
SET recruiter_tg_id = coalesce(EXCLUDED.recruiter_tg_id, o.recruiter_tg_id),
    payload_json = coalesce(EXCLUDED.payload_json, o.payload_json),
    correlation_id = coalesce(EXCLUDED.correlation_id, o.correlation_id),
    next_retry_at = NULL,
    locked_at = NULL,
    attempts = 0
WHERE lower(o.status) = :pendingStatus
RETURNING o.*, (o.xmax = 0) AS created
