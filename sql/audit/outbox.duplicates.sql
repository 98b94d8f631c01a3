-- outbox.duplicates: keys (type, booking_id, candidate_tg_id) with more than one row. GROUP BY
-- compares NULLs as equal, which the legacy UNIQUE constraint does not: rows with a NULL
-- candidate or booking slip past it (seed 001).
WITH offending AS (
    SELECT o.type,
           o.booking_id,
           o.candidate_tg_id,
           count(*) AS rows,
           array_agg(o.id ORDER BY o.id) AS ids,
           array_agg(lower(o.status) ORDER BY o.id) AS statuses
    FROM outbox_notifications o
    GROUP BY o.type, o.booking_id, o.candidate_tg_id
    HAVING count(*) > 1
)
SELECT count(*) OVER () AS total, d.*
FROM offending d
ORDER BY d.type, d.booking_id NULLS FIRST, d.candidate_tg_id NULLS FIRST
LIMIT :sample
