-- notifications.stale-logs on the legacy schema (no candidate_tg_id column), PostgreSQL 16+:
-- the candidate is the candidate_tg_id of the JSON payload when the payload parses as a JSON
-- object (IS JSON guards the cast, so a malformed payload is simply unattributed).
WITH logs AS (
    SELECT nl.id, nl.booking_id, nl.type, nl.created_at,
           CASE WHEN nl.payload IS JSON OBJECT THEN nl.payload::jsonb ->> 'candidate_tg_id' END AS payload_candidate
    FROM notification_logs nl
), offending AS (
    SELECT l.id AS log_id,
           l.booking_id AS slot_id,
           l.type,
           l.payload_candidate AS log_candidate_tg_id,
           s.candidate_tg_id AS slot_candidate_tg_id,
           lower(s.status) AS slot_status,
           l.created_at,
           CASE WHEN lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL THEN 'freed slot' ELSE 'other candidate' END AS reason
    FROM logs l
    JOIN slots s ON s.id = l.booking_id
    WHERE lower(s.status) = :slotFree
       OR s.candidate_tg_id IS NULL
       OR (l.payload_candidate IS NOT NULL AND l.payload_candidate <> s.candidate_tg_id::text)
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.slot_id, o.log_id
LIMIT :sample
