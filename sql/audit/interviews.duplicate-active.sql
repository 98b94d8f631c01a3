-- interviews.duplicate-active: time slots holding more than one active interview.
-- Active statuses arrive as :interviewActive (src/domain/statuses.ts), compared lower-cased.
-- The legacy UNIQUE (time_slot_id) and the fixed partial unique index both forbid this, so a row
-- here means the constraint is missing, INVALID, or was added NOT VALID over old data.
WITH offending AS (
    SELECT iv.time_slot_id,
           count(*) AS active_interviews,
           array_agg(iv.id ORDER BY iv.id) AS interview_ids,
           array_agg(lower(iv.status) ORDER BY iv.id) AS statuses
    FROM interviews iv
    WHERE iv.time_slot_id IS NOT NULL
      AND lower(iv.status) = ANY(:interviewActive)
    GROUP BY iv.time_slot_id
    HAVING count(*) > 1
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.time_slot_id
LIMIT :sample
