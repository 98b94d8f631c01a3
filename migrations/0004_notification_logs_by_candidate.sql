-- recruiting: notification logs keyed by candidate, so a log of the previous candidate can no
-- longer silence the next one.
--
-- Seed 002 (P0): notification_logs is unique on (type, booking_id). After a reschedule the log of
-- candidate A stays, and approving the slot for candidate B finds it and sends nothing. The log
-- gets candidate_tg_id, filled from the slot's candidate in committed batches, a unique key
-- (type, booking_id, candidate_tg_id), and the old (type, booking_id) key, whatever its name, goes.
-- Filling from the slot is only right for logs that belong to the slot's current candidate: the
-- preflight refuses while stale logs exist (freed slots, or a payload naming another candidate or
-- none: a log naming nobody may be a previous candidate's, and would silence the current one).
-- bookops:requires-tables notification_logs, slots

-- migrate:preflight notification logs of a freed slot, or not naming the slot's candidate (resolve with: bookops notifications clean-stale)
WITH logs AS (
    SELECT l.id AS log_id, l.type, l.booking_id AS slot_id, s.status AS slot_status,
           s.candidate_tg_id AS slot_candidate,
           CAST(substring(l.payload FROM :'payloadCandidatePattern') AS numeric) AS log_candidate
    FROM notification_logs l
    JOIN slots s ON s.id = l.booking_id
)
SELECT * FROM logs
WHERE lower(slot_status) = 'free' OR slot_candidate IS NULL OR log_candidate IS DISTINCT FROM slot_candidate
ORDER BY log_id;

-- migrate:up transaction:false
ALTER TABLE notification_logs ADD COLUMN IF NOT EXISTS candidate_tg_id BIGINT;

-- The rows still to fill, in id order, for the batches below: without it each batch would walk
-- past every row the batches before it filled (quadratic on a large table). Dropped afterwards.
CREATE INDEX CONCURRENTLY IF NOT EXISTS notification_logs_unfilled_candidate_idx
    ON notification_logs (id) WHERE candidate_tg_id IS NULL;

-- The new column has no statistics: without them the planner takes the unfilled rows for a few
-- and hashes both tables in every batch instead of reading the first 5000 through the index.
ANALYZE notification_logs (candidate_tg_id);

-- bookops:repeat (one batch of 5000 per transaction, until no row is left to fill; each batch
-- reads its rows through the index above and updates them by primary key: constant time)
UPDATE notification_logs AS l
SET candidate_tg_id = s.candidate_tg_id
FROM slots AS s
WHERE s.id = l.booking_id
  AND l.id = ANY (ARRAY(
    SELECT l2.id
    FROM notification_logs AS l2
    JOIN slots AS s2 ON s2.id = l2.booking_id
    WHERE l2.candidate_tg_id IS NULL AND s2.candidate_tg_id IS NOT NULL
    ORDER BY l2.id
    LIMIT 5000
  ));

DROP INDEX CONCURRENTLY IF EXISTS notification_logs_unfilled_candidate_idx;

CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS notification_logs_type_booking_candidate_uidx
    ON notification_logs (type, booking_id, candidate_tg_id);

-- bookops:each introspect/unique-constraints-on tableName=notification_logs columns=type,booking_id
ALTER TABLE notification_logs DROP CONSTRAINT IF EXISTS :"constraint_name";

-- bookops:each introspect/unique-indexes-on tableName=notification_logs columns=type,booking_id keep=notification_logs_type_booking_candidate_uidx
DROP INDEX CONCURRENTLY IF EXISTS :"index_name";

-- migrate:down-preflight slots with more than one log of one type (of several candidates), which the legacy UNIQUE (type, booking_id) would reject (resolve with: bookops notifications clean-stale)
SELECT booking_id, type, count(*) AS logs, array_agg(id ORDER BY id) AS log_ids
FROM notification_logs
WHERE booking_id IS NOT NULL
GROUP BY booking_id, type
HAVING count(*) > 1
ORDER BY booking_id, type;

-- migrate:down
-- Only possible while no slot has logs of two candidates of one type.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_notif_type_booking ON notification_logs (type, booking_id);

-- bookops:each introspect/constraint-absent tableName=notification_logs constraintName=uq_notif_type_booking
ALTER TABLE notification_logs ADD CONSTRAINT :"constraint_name" UNIQUE USING INDEX uq_notif_type_booking;

DROP INDEX CONCURRENTLY IF EXISTS notification_logs_type_booking_candidate_uidx;

DROP INDEX CONCURRENTLY IF EXISTS notification_logs_unfilled_candidate_idx;

ALTER TABLE notification_logs DROP COLUMN IF EXISTS candidate_tg_id;
