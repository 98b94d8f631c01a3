-- recruiting.double-booking: (candidate, recruiter) pairs holding more than one active slot.
-- Active = :slotActive (pending, booked, confirmed_by_candidate), any letter case: the legacy
-- index uq_slots_candidate_recruiter_active leaves confirmed_by_candidate out (seed 002).
WITH offending AS (
    SELECT s.candidate_tg_id,
           s.recruiter_id,
           count(*) AS active_slots,
           array_agg(s.id ORDER BY s.start_utc, s.id) AS slot_ids,
           array_agg(lower(s.status) ORDER BY s.start_utc, s.id) AS statuses
    FROM slots s
    WHERE s.candidate_tg_id IS NOT NULL
      AND lower(s.status) = ANY(:slotActive)
    GROUP BY s.candidate_tg_id, s.recruiter_id
    HAVING count(*) > 1
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.recruiter_id, o.candidate_tg_id
LIMIT :sample
