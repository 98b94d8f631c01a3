-- The checkpoint of :job, when the table and the row exist (dry runs must not create the table).
SELECT job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at
FROM bookops_backfill_progress
WHERE job = :job
