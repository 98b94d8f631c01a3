-- The recruiting bot's outbox (seed 001): the idempotent enqueue, one message per key (type,
-- booking_id, candidate_tg_id) whatever the status of an existing row.

-- name: refreshable
-- The rule of what an enqueue does to the key's existing row (alias t): a pending row is
-- refreshed for its retry; a sent or failed one is left exactly as it is (seed 001). Read by the
-- enqueue statements, the archive of what they refresh, and the plan a dry run shows.
lower(t.status) = CAST(:outboxPending AS varchar)

-- name: enqueue
-- Idempotent enqueue keyed by (type, booking_id, candidate_tg_id), whatever the status of an
-- existing row (seed 001). The unique key decides: a new key inserts a pending row; a pending
-- row is refreshed for the retry (payload, recruiter and correlation id when given, attempts
-- reset, lock and retry time cleared); a sent or failed row is left exactly as it is (the
-- DO UPDATE's WHERE is false for it, so it is only locked, never rewritten).
-- created: xmax is 0 only on a freshly inserted row version.
INSERT INTO outbox_notifications AS t
    (type, booking_id, candidate_tg_id, recruiter_tg_id, payload_json, correlation_id, status, attempts)
VALUES
    (CAST(:type AS varchar), CAST(:bookingId AS integer), CAST(:candidateTgId AS bigint), CAST(:recruiterTgId AS bigint),
     CAST(:payload AS jsonb), CAST(:correlationId AS varchar), CAST(:outboxPending AS varchar), 0)
ON CONFLICT (type, booking_id, candidate_tg_id) {{on-key}}
RETURNING t.*, (t.xmax = 0) AS created

-- name: on-key
-- What the enqueues by the unique key (enqueue, enqueue-batch) do to the key's existing row
-- (alias t, the new one EXCLUDED): a pending row is refreshed for its retry; a sent or failed
-- row is only locked, never rewritten (the WHERE is false for it).
DO UPDATE
SET recruiter_tg_id = coalesce(EXCLUDED.recruiter_tg_id, t.recruiter_tg_id),
    payload_json = coalesce(EXCLUDED.payload_json, t.payload_json),
    correlation_id = coalesce(EXCLUDED.correlation_id, t.correlation_id),
    next_retry_at = NULL,
    locked_at = NULL,
    attempts = 0
WHERE {{refreshable}}

-- name: batch
-- A batch of messages (alias m) from :messages, a JSON array of {type, booking_id,
-- candidate_tg_id, recruiter_tg_id, payload_json, correlation_id}: keys with no NULL part, each
-- key once (enqueueBatch checks both), in key order so concurrent batches lock keys in one order.
SELECT m.*
FROM jsonb_to_recordset(CAST(:messages AS jsonb))
     AS m(type varchar, booking_id integer, candidate_tg_id bigint, recruiter_tg_id bigint, payload_json jsonb, correlation_id varchar)
ORDER BY m.type, m.booking_id, m.candidate_tg_id

-- name: enqueue-batch
-- The enqueue of a batch in one statement: the same unique key and the same on-key outcome as
-- enqueue, for every message of the batch. A sent or failed key returns nothing (as enqueue).
INSERT INTO outbox_notifications AS t
    (type, booking_id, candidate_tg_id, recruiter_tg_id, payload_json, correlation_id, status, attempts)
SELECT m.type, m.booking_id, m.candidate_tg_id, m.recruiter_tg_id, m.payload_json, m.correlation_id,
       CAST(:outboxPending AS varchar), 0
FROM ({{batch}}) AS m
ON CONFLICT (type, booking_id, candidate_tg_id) {{on-key}}
RETURNING t.*, (t.xmax = 0) AS created

-- name: of-batch
-- The outbox rows (alias t) of the batch's keys.
(t.type, t.booking_id, t.candidate_tg_id) IN (SELECT m.type, m.booking_id, m.candidate_tg_id FROM ({{batch}}) AS m)

-- name: pending-of-batch
-- The pending rows of the batch's keys (alias t), which enqueue-batch refreshes: archived first.
({{of-batch}}) AND {{refreshable}}

-- name: find-batch
-- The rows of the batch's keys, one per key (the oldest), after enqueue-batch: the sent or failed
-- ones it left as they are.
SELECT DISTINCT ON (t.type, t.booking_id, t.candidate_tg_id) t.*, false AS created
FROM outbox_notifications AS t
WHERE {{of-batch}}
ORDER BY t.type, t.booking_id, t.candidate_tg_id, t.id

-- name: lock-null-key
-- A key with a NULL part never conflicts under the plain UNIQUE (NULLs are distinct), so
-- enqueues of such a key are serialised on a transaction advisory lock of the whole key, taken
-- in a statement of its own: the statement that decides (enqueue-null-key) then starts after
-- the previous holder committed and sees its row. Also reports the isolation level, because a
-- REPEATABLE READ snapshot taken before the wait would still miss that row.
SELECT pg_advisory_xact_lock(
           hashtext('bookops.outbox.enqueue'),
           hashtext(concat_ws('|',
               CAST(:type AS text),
               coalesce(CAST(CAST(:bookingId AS integer) AS text), '<null>'),
               coalesce(CAST(CAST(:candidateTgId AS bigint) AS text), '<null>')))
       ) IS NULL AS locked,
       current_setting('transaction_isolation') AS isolation

-- name: enqueue-null-key
-- Enqueue of a key with a NULL booking or candidate, under the key's advisory lock
-- (lock-null-key): the same outcome as enqueue.sql in one statement, with the key compared
-- NULL-safely. The oldest row wins when legacy duplicates exist (audit outbox.duplicates).
-- No row back: the key was inserted concurrently by another writer (see the insert).
WITH existing AS (
    SELECT t.*
    FROM outbox_notifications AS t
    WHERE t.type = CAST(:type AS varchar)
      AND {{same-key}}
    ORDER BY t.id
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
    FROM existing AS t
    WHERE o.id = t.id AND {{refreshable}}
    RETURNING o.*
),
inserted AS (
    INSERT INTO outbox_notifications
        (type, booking_id, candidate_tg_id, recruiter_tg_id, payload_json, correlation_id, status, attempts)
    SELECT CAST(:type AS varchar), CAST(:bookingId AS integer), CAST(:candidateTgId AS bigint),
           CAST(:recruiterTgId AS bigint), CAST(:payload AS jsonb), CAST(:correlationId AS varchar),
           CAST(:outboxPending AS varchar), 0
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
SELECT t.*, false, false FROM existing AS t
WHERE ({{refreshable}}) IS NOT TRUE

-- name: find-by-key
-- The outbox row of one key, NULLs compared as equal (the oldest one if duplicates exist).
SELECT t.*, false AS created
FROM outbox_notifications AS t
WHERE t.type = :type
  AND {{same-key}}
ORDER BY t.id
LIMIT 1

-- name: pending-key
-- The pending outbox rows of one key (NULL-safe), which an enqueue refreshes: archived first.
t.type = CAST(:type AS varchar)
AND {{same-key}}
AND {{refreshable}}

-- name: same-key
-- A row (alias t) of the key (:bookingId, :candidateTgId), NULLs compared as equal. Written as
-- equality or IS NULL rather than IS NOT DISTINCT FROM, which no index can serve: with a booking
-- and a candidate given, the planner keeps the equality alone and reads the outbox key's index
-- (an enqueue of slots resolve-duplicates read the whole outbox once per released slot).
(t.booking_id = CAST(:bookingId AS integer) OR (t.booking_id IS NULL AND CAST(:bookingId AS integer) IS NULL))
AND (t.candidate_tg_id = CAST(:candidateTgId AS bigint) OR (t.candidate_tg_id IS NULL AND CAST(:candidateTgId AS bigint) IS NULL))

-- name: key-state
-- What an enqueue of the key would find (its plan): the key's row, and whether it would refresh it.
SELECT t.id, t.status, ({{refreshable}}) IS TRUE AS refreshable
FROM ({{find-by-key}}) AS t
