-- recruiting.slot-status-counts (info): slots per status, lower-cased, every status present plus
-- the known ones (:slotStatuses) with zero, so confirmed_by_candidate is never left out (seed 002).
WITH counted AS (
    SELECT lower(s.status) AS status, count(*) AS slots
    FROM slots s
    GROUP BY lower(s.status)
), known AS (
    SELECT unnest(CAST(:slotStatuses AS text[])) AS status
)
SELECT count(*) OVER () AS total, status, coalesce(counted.slots, 0) AS slots
FROM counted
FULL JOIN known USING (status)
ORDER BY slots DESC, status
LIMIT 100
