-- notifications clean-stale after migration 0004 (alias t = notification_logs): logs of a freed
-- slot (status free, any letter case, or no candidate), or not naming the slot's current
-- candidate (docs/CHECKS.md notifications.stale-logs). The candidate is the column, or, for a
-- writer that still fills only the payload, the payload's (read as the booking rules read it,
-- src/domain/recruiting). A log naming nobody cannot be shown to be the current candidate's: it
-- is stale, as the approval rule takes it (it would silence them if it was a previous one's).
(CAST(:slotId AS integer) IS NULL OR t.booking_id = CAST(:slotId AS integer))
AND EXISTS (
    SELECT 1 FROM slots AS s
    WHERE s.id = t.booking_id
      AND (lower(s.status) = :freeStatus
           OR s.candidate_tg_id IS NULL
           OR coalesce(t.candidate_tg_id,
                       CAST(substring(t.payload FROM :payloadCandidate) AS numeric))
              IS DISTINCT FROM s.candidate_tg_id)
)
