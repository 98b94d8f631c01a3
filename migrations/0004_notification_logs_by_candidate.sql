-- recruiting: notification logs keyed by candidate, so a log of the previous candidate can no
-- longer silence the next one.
--
-- Seed 002 (P0): notification_logs is unique on (type, booking_id). After a reschedule the log of
-- candidate A stays, and approving the slot for candidate B finds it and sends nothing. The log
-- gets candidate_tg_id, filled from the slot's candidate in committed batches, a unique key
-- (type, booking_id, candidate_tg_id), and the old (type, booking_id) key, whatever its name, goes.
-- Filling from the slot is only right for logs that belong to the slot's current candidate: the
-- preflight refuses while stale logs exist, by bookops' one rule of them (the audit check
-- notifications.stale-logs and `bookops notifications clean-stale` read it too): logs of freed
-- slots, naming another candidate, naming none (such a log may be a previous candidate's, and
-- would silence the current one), or whose candidate column, filled by hand, disagrees with the
-- payload. Once none is left, every log still to fill is its slot's candidate's (the test
-- test/db/recruiting/stale-log-rule.test.ts holds the fill to that).
-- bookops:requires-tables notification_logs, slots
-- bookops:earlier-checksum 92d5a9577b32f2a62d458ae20ffa15f30c8a0097f065a5d50b1a865e61207b31 (as released before its preflight became a rule of bookops and introspect/ became catalog/)

-- migrate:preflight notification logs of a freed slot, or not naming the slot's candidate (resolve with: bookops notifications clean-stale)
-- bookops:rule notifications.stale-logs

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

-- bookops:each catalog/unique-constraints-on tableName=notification_logs columns=type,booking_id
ALTER TABLE notification_logs DROP CONSTRAINT IF EXISTS :"constraint_name";

-- bookops:each catalog/unique-indexes-on tableName=notification_logs columns=type,booking_id keep=notification_logs_type_booking_candidate_uidx
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

-- bookops:each catalog/constraint-absent tableName=notification_logs constraintName=uq_notif_type_booking
ALTER TABLE notification_logs ADD CONSTRAINT :"constraint_name" UNIQUE USING INDEX uq_notif_type_booking;

DROP INDEX CONCURRENTLY IF EXISTS notification_logs_type_booking_candidate_uidx;

DROP INDEX CONCURRENTLY IF EXISTS notification_logs_unfilled_candidate_idx;

ALTER TABLE notification_logs DROP COLUMN IF EXISTS candidate_tg_id;
