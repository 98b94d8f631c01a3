-- notifications.stale-logs (fixed schema: notification_logs.candidate_tg_id exists): logs of a
-- freed slot (status :slotFree or no candidate), or of a candidate other than the slot's
-- current one. The candidate is the column, or the payload's for a writer that still fills only
-- the payload; a log naming nobody cannot be attributed and only counts on a freed slot.
WITH offending AS (
    SELECT nl.id AS log_id,
           nl.booking_id AS slot_id,
           nl.type,
           coalesce(nl.candidate_tg_id, CAST(substring(nl.payload FROM :payloadCandidate) AS bigint)) AS log_candidate_tg_id,
           s.candidate_tg_id AS slot_candidate_tg_id,
           lower(s.status) AS slot_status,
           nl.created_at,
           CASE WHEN lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL THEN 'freed slot' ELSE 'other candidate' END AS reason
    FROM notification_logs nl
    JOIN slots s ON s.id = nl.booking_id
    WHERE lower(s.status) = :slotFree
       OR s.candidate_tg_id IS NULL
       OR coalesce(nl.candidate_tg_id, CAST(substring(nl.payload FROM :payloadCandidate) AS bigint)) <> s.candidate_tg_id
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.slot_id, o.log_id
LIMIT :sample
