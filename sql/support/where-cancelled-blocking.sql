-- interviews clean-cancelled (alias t): cancelled interviews that block rebooking their time slot
-- under the legacy UNIQUE (time_slot_id) (docs/CHECKS.md interviews.cancelled-blocking; the caller
-- checked in the catalog that a key without a predicate exists). Optionally of one slot, and only
-- those cancelled (or, without cancelled_at, created) before :cutoff. Under the legacy key a slot
-- holds one row at most, so the NOT EXISTS only matters on databases with another key shape.
lower(t.status) = :cancelledStatus
AND t.time_slot_id IS NOT NULL
AND (CAST(:slotId AS integer) IS NULL OR t.time_slot_id = CAST(:slotId AS integer))
AND (CAST(:cutoff AS timestamp) IS NULL OR coalesce(t.cancelled_at, t.created_at) < CAST(:cutoff AS timestamp))
AND NOT EXISTS (
    SELECT 1 FROM interviews AS act
    WHERE act.time_slot_id = t.time_slot_id
      AND lower(act.status) = ANY(:interviewActive)
)
