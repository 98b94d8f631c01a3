-- Frees a slot: no candidate, status free (seed 002: reject, reschedule and cancel all end here).
UPDATE slots
SET status = :freeStatus, candidate_tg_id = NULL, candidate_fio = NULL, candidate_tz = NULL, updated_at = now()
WHERE id = :slotId
RETURNING *
