-- notifications.stale-logs (fixed schema: notification_logs.candidate_tg_id exists): logs of a
-- freed slot (status :slotFree or no candidate), or of a candidate other than the slot's
-- current one. The candidate is the column, or the payload's for a writer that still fills only
-- the payload; a log naming nobody cannot be shown to be the current candidate's: stale, as the
-- approval rule takes it.
WITH offending AS (
    SELECT nl.id AS log_id,
           nl.booking_id AS slot_id,
           nl.type,
           coalesce(nl.candidate_tg_id, CAST(substring(nl.payload FROM :payloadCandidate) AS numeric)) AS log_candidate_tg_id,
           s.candidate_tg_id AS slot_candidate_tg_id,
           lower(s.status) AS slot_status,
           nl.created_at,
           CASE WHEN lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL THEN 'freed slot'
                WHEN coalesce(nl.candidate_tg_id, CAST(substring(nl.payload FROM :payloadCandidate) AS numeric)) IS NULL THEN 'no candidate named'
                ELSE 'other candidate' END AS reason
    FROM notification_logs nl
    JOIN slots s ON s.id = nl.booking_id
    WHERE lower(s.status) = :slotFree
       OR s.candidate_tg_id IS NULL
       OR coalesce(nl.candidate_tg_id, CAST(substring(nl.payload FROM :payloadCandidate) AS numeric)) IS DISTINCT FROM s.candidate_tg_id
)
SELECT count(*) OVER () AS total,
       o.log_id, o.slot_id, o.type,
       -- payload digits are numeric (no overflow); shown as a number when they fit a bigint
       CASE WHEN abs(o.log_candidate_tg_id) < 9223372036854775807 THEN CAST(o.log_candidate_tg_id AS bigint) END AS log_candidate_tg_id,
       o.slot_candidate_tg_id, o.slot_status, o.created_at, o.reason
FROM offending o
ORDER BY o.slot_id, o.log_id
LIMIT :sample
