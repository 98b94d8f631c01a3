-- One statement decides a reservation (seeds 001/002): the slot must be free (any letter case)
-- and the candidate must hold no active slot (pending, booked, confirmed_by_candidate) of the
-- same recruiter. Concurrent reservations of one slot queue on its row lock; after the winner
-- commits, the others re-check the row, find it no longer free, and update nothing. Two
-- reservations by one candidate of two slots of one recruiter queue on the candidate's advisory
-- lock (lock-candidate) and the second sees the first; the unique partial index on
-- (candidate_tg_id, recruiter_id) (legacy: pending/booked; migration 0003: all active) stops
-- writers that do not take it.
UPDATE slots AS s
SET status = :pendingStatus,
    candidate_tg_id = CAST(:candidateTgId AS bigint),
    candidate_fio = coalesce(CAST(:candidateName AS varchar), s.candidate_fio),
    candidate_tz = coalesce(CAST(:candidateTz AS varchar), s.candidate_tz),
    updated_at = now()
WHERE s.id = :slotId
  AND lower(s.status) = :freeStatus
  AND NOT EXISTS (
      SELECT 1 FROM slots AS o
      WHERE o.recruiter_id = s.recruiter_id
        AND o.candidate_tg_id = CAST(:candidateTgId AS bigint)
        AND o.id <> s.id
        AND lower(o.status) = ANY(:slotActive)
  )
RETURNING s.*
