-- notifications clean-stale after migration 0004 (alias t = notification_logs): logs of a freed
-- slot (status free, any letter case, or no candidate), or naming a candidate other than the
-- slot's current one (docs/CHECKS.md notifications.stale-logs). The candidate is the column, or,
-- for a writer that still fills only the payload, the payload's (read as the booking rules read
-- it, src/domain/recruiting). A log naming nobody on a held slot is left alone: it cannot be
-- shown to be someone else's, and migration 0004 attributes such logs to the slot's candidate.
(CAST(:slotId AS integer) IS NULL OR t.booking_id = CAST(:slotId AS integer))
AND EXISTS (
    SELECT 1 FROM slots AS s
    WHERE s.id = t.booking_id
      AND (lower(s.status) = :freeStatus
           OR s.candidate_tg_id IS NULL
           OR coalesce(t.candidate_tg_id,
                       CAST(substring(t.payload FROM :payloadCandidate) AS numeric))
              <> s.candidate_tg_id)
)
