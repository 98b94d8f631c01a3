-- Another active slot of the same recruiter held by a candidate (one active slot per recruiter):
-- reassigning a slot to them would be refused by the reservation rule.
SELECT o.id, o.status, o.start_utc
FROM slots AS s
JOIN slots AS o ON o.recruiter_id = s.recruiter_id AND o.id <> s.id
WHERE s.id = :slotId
  AND o.candidate_tg_id = CAST(:candidateTgId AS bigint)
  AND lower(o.status) = ANY(:slotActive)
ORDER BY o.id
LIMIT 1
