-- Enqueue of a key with a NULL booking or candidate, under the key's advisory lock
-- (lock-null-key): the same outcome as enqueue.sql in one statement, with the key compared
-- NULL-safely. The oldest row wins when legacy duplicates exist (audit outbox.duplicates).
-- No row back: the key was inserted concurrently by another writer (see the insert).
WITH existing AS (
    SELECT o.*
    FROM outbox_notifications AS o
    WHERE o.type = CAST(:type AS varchar)
      AND o.booking_id IS NOT DISTINCT FROM CAST(:bookingId AS integer)
      AND o.candidate_tg_id IS NOT DISTINCT FROM CAST(:candidateTgId AS bigint)
    ORDER BY o.id
    LIMIT 1
    FOR UPDATE
),
refreshed AS (
    UPDATE outbox_notifications AS o
    SET recruiter_tg_id = coalesce(CAST(:recruiterTgId AS bigint), o.recruiter_tg_id),
        payload_json = coalesce(CAST(:payload AS jsonb), o.payload_json),
        correlation_id = coalesce(CAST(:correlationId AS varchar), o.correlation_id),
        next_retry_at = NULL,
        locked_at = NULL,
        attempts = 0
    FROM existing AS e
    WHERE o.id = e.id AND lower(e.status) = CAST(:pendingStatus AS varchar)
    RETURNING o.*
),
inserted AS (
    INSERT INTO outbox_notifications
        (type, booking_id, candidate_tg_id, recruiter_tg_id, payload_json, correlation_id, status, attempts)
    SELECT CAST(:type AS varchar), CAST(:bookingId AS integer), CAST(:candidateTgId AS bigint),
           CAST(:recruiterTgId AS bigint), CAST(:payload AS jsonb), CAST(:correlationId AS varchar),
           CAST(:pendingStatus AS varchar), 0
    WHERE NOT EXISTS (SELECT 1 FROM existing)
    -- After migration 0008 a writer that does not take our lock (the bot) may have inserted the
    -- key since this statement's snapshot: nothing comes back, and the caller reads it again.
    ON CONFLICT DO NOTHING
    RETURNING *
)
SELECT i.*, true AS created, false AS refreshed FROM inserted AS i
UNION ALL
SELECT r.*, false, true FROM refreshed AS r
UNION ALL
SELECT e.*, false, false FROM existing AS e
WHERE lower(e.status) IS DISTINCT FROM CAST(:pendingStatus AS varchar)
