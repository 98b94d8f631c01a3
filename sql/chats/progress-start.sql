-- A new run of :job from the beginning (the previous one finished, or there was none).
INSERT INTO bookops_backfill_progress (job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at)
VALUES (:job, NULL, 0, 0, 0, :batchSize, now(), now(), NULL)
ON CONFLICT (job) DO UPDATE
SET last_key = NULL, scanned = 0, created = 0, batches = 0, batch_size = EXCLUDED.batch_size,
    started_at = now(), updated_at = now(), finished_at = NULL
RETURNING job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at
