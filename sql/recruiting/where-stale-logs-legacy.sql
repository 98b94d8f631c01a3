-- Notification logs of one slot that are not the current candidate's, before migration 0004:
-- the candidate is only in the JSON payload (text; parsed by pattern so that a malformed payload
-- cannot fail the statement). A log without a candidate cannot be proven to be theirs: stale.
t.booking_id = :slotId
AND CAST(substring(t.payload FROM :payloadCandidate) AS numeric)
    IS DISTINCT FROM CAST(:candidateTgId AS bigint)
