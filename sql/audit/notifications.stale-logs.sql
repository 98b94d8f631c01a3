-- notifications.stale-logs (fixed schema: notification_logs.candidate_tg_id exists): logs of a
-- freed slot (status :slotFree or no candidate), or of a candidate other than the slot's
-- current one. A log without a candidate cannot be attributed and only counts on a freed slot.
WITH offending AS (
    SELECT nl.id AS log_id,
           nl.booking_id AS slot_id,
           nl.type,
           nl.candidate_tg_id AS log_candidate_tg_id,
           s.candidate_tg_id AS slot_candidate_tg_id,
           lower(s.status) AS slot_status,
           nl.created_at,
           CASE WHEN lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL THEN 'freed slot' ELSE 'other candidate' END AS reason
    FROM notification_logs nl
    JOIN slots s ON s.id = nl.booking_id
    WHERE lower(s.status) = :slotFree
       OR s.candidate_tg_id IS NULL
       OR (nl.candidate_tg_id IS NOT NULL AND nl.candidate_tg_id <> s.candidate_tg_id)
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.slot_id, o.log_id
LIMIT :sample
