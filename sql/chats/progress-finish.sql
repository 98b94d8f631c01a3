UPDATE bookops_backfill_progress
SET finished_at = now(), updated_at = now()
WHERE job = :job
