-- Reminder jobs of one slot other than the ones wanted now (another candidate or start time).
t.slot_id = :slotId AND t.job_id <> ALL(CAST(:keepJobIds AS text[]))
