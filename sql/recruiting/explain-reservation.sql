-- Why a reservation updated nothing: the slot as it is now, and an active slot of the same
-- recruiter the candidate already holds. Read after the decision, for the message only.
SELECT s.id, s.status, s.candidate_tg_id, s.recruiter_id,
       lower(s.status) = ANY(:slotActive) AS active,
       (SELECT o.id FROM slots AS o
        WHERE o.recruiter_id = s.recruiter_id
          AND o.candidate_tg_id = CAST(:candidateTgId AS bigint)
          AND o.id <> s.id
          AND lower(o.status) = ANY(:slotActive)
        ORDER BY o.id
        LIMIT 1) AS other_slot_id
FROM slots AS s
WHERE s.id = :slotId
