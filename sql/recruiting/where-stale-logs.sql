-- Notification logs of one slot that are not the current candidate's, after migration 0004
-- (the candidate_tg_id column; a writer that still fills only the payload is read from there).
t.booking_id = :slotId
AND coalesce(t.candidate_tg_id,
             CAST(substring(t.payload FROM :payloadCandidate) AS numeric))
    IS DISTINCT FROM CAST(:candidateTgId AS bigint)
