-- Frees a slot (seed 002: reject, reschedule and cancel all end here): the candidate is cleared,
-- and an active slot becomes free. A slot in another status (canceled by the recruiter) keeps
-- it: releasing a candidate must not reopen a slot nobody offers any more.
UPDATE slots
SET status = CASE WHEN lower(status) = ANY(:slotActive) THEN :freeStatus ELSE status END,
    candidate_tg_id = NULL, candidate_fio = NULL, candidate_tz = NULL, updated_at = now()
WHERE id = :slotId
RETURNING *
