-- Notification logs of one slot that are not the current candidate's, after migration 0004
-- (the candidate_tg_id column; a writer that still fills only the payload is read from there).
t.booking_id = :slotId
AND coalesce(t.candidate_tg_id,
             CAST(substring(t.payload FROM '"candidate_tg_id"\s*:\s*"{0,1}(-{0,1}[0-9]{1,18})') AS bigint))
    IS DISTINCT FROM CAST(:candidateTgId AS bigint)
