-- notifications.stale-logs on the legacy schema (no candidate_tg_id column): the candidate is the
-- payload's, read with the one pattern of src/domain/recruiting/log-candidate.ts (:payloadCandidate).
-- A log naming no candidate cannot be shown to be the current one's: stale, as the approval rule
-- (src/domain/recruiting) and migration 0004's preflight take it.
WITH logs AS (
    SELECT nl.id, nl.booking_id, nl.type, nl.created_at,
           CAST(substring(nl.payload FROM :payloadCandidate) AS numeric) AS payload_candidate
    FROM notification_logs nl
), offending AS (
    SELECT l.id AS log_id,
           l.booking_id AS slot_id,
           l.type,
           l.payload_candidate AS log_candidate_tg_id,
           s.candidate_tg_id AS slot_candidate_tg_id,
           lower(s.status) AS slot_status,
           l.created_at,
           CASE WHEN lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL THEN 'freed slot'
                WHEN l.payload_candidate IS NULL THEN 'no candidate named'
                ELSE 'other candidate' END AS reason
    FROM logs l
    JOIN slots s ON s.id = l.booking_id
    WHERE lower(s.status) = :slotFree
       OR s.candidate_tg_id IS NULL
       OR l.payload_candidate IS DISTINCT FROM s.candidate_tg_id
)
SELECT count(*) OVER () AS total,
       o.log_id, o.slot_id, o.type,
       -- payload digits are numeric (no overflow); shown as a number when they fit a bigint
       CASE WHEN abs(o.log_candidate_tg_id) < 9223372036854775807 THEN CAST(o.log_candidate_tg_id AS bigint) END AS log_candidate_tg_id,
       o.slot_candidate_tg_id, o.slot_status, o.created_at, o.reason
FROM offending o
ORDER BY o.slot_id, o.log_id
LIMIT :sample
