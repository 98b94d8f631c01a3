-- notifications clean-stale before migration 0004 (alias t = notification_logs; no candidate
-- column, the candidate is in the JSON payload text, read with the one pattern of
-- src/domain/recruiting/log-candidate.ts): logs of a freed slot (status free, any
-- letter case, or no candidate), or not naming the slot's current candidate (another one, or
-- none: such a log cannot be shown to be theirs) (docs/CHECKS.md notifications.stale-logs; the
-- preflight of migration 0004 refuses while they exist).
(CAST(:slotId AS integer) IS NULL OR t.booking_id = CAST(:slotId AS integer))
AND EXISTS (
    SELECT 1 FROM slots AS s
    WHERE s.id = t.booking_id
      AND (lower(s.status) = :freeStatus
           OR s.candidate_tg_id IS NULL
           OR CAST(substring(t.payload FROM :payloadCandidate) AS numeric)
              IS DISTINCT FROM s.candidate_tg_id)
)
