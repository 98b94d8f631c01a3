-- outbox dedupe, one batch (alias t): the planned duplicates, each deleted only while the row
-- its key keeps is still there (so a key never loses its last row, whatever happened meanwhile).
t.id = ANY(CAST(:ids AS integer[]))
AND EXISTS (
    SELECT 1 FROM outbox_notifications AS k
    WHERE k.id = ANY(CAST(:keepIds AS integer[]))
      AND k.id <> t.id
      AND k.type = t.type
      AND k.booking_id IS NOT DISTINCT FROM t.booking_id
      AND k.candidate_tg_id IS NOT DISTINCT FROM t.candidate_tg_id
)
