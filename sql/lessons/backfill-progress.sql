-- chats verify --backfill's checkpoint: bookops' own table, one row per resumable job.

-- name: progress-table
-- Checkpoints of resumable backfills, one row per job. A batch and its checkpoint commit in the
-- same transaction, so after a crash the next run knows what the interrupted one did (the chat
-- backfill then plans again what is still missing and carries the totals on).
CREATE TABLE IF NOT EXISTS bookops_backfill_progress (
    job text PRIMARY KEY,
    last_key text,
    scanned bigint NOT NULL DEFAULT 0,
    created bigint NOT NULL DEFAULT 0,
    batches integer NOT NULL DEFAULT 0,
    batch_size integer,
    started_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz
)

-- name: progress-exists
SELECT to_regclass('bookops_backfill_progress') IS NOT NULL AS present

-- name: progress-read
-- The checkpoint of :job, when the table and the row exist (dry runs must not create the table).
SELECT job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at
FROM bookops_backfill_progress
WHERE job = :job

-- name: progress-start
-- A new run of :job from the beginning (the previous one finished, or there was none).
INSERT INTO bookops_backfill_progress (job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at)
VALUES (:job, NULL, 0, 0, 0, :batchSize, now(), now(), NULL)
ON CONFLICT (job) DO UPDATE
SET last_key = NULL, scanned = 0, created = 0, batches = 0, batch_size = EXCLUDED.batch_size,
    started_at = now(), updated_at = now(), finished_at = NULL
RETURNING job, last_key, scanned, created, batches, batch_size, started_at, updated_at, finished_at

-- name: progress-advance
-- After one batch, in the batch's own transaction.
UPDATE bookops_backfill_progress
SET last_key = :lastKey,
    scanned = scanned + :scanned,
    created = created + :created,
    batches = batches + 1,
    batch_size = :batchSize,
    updated_at = now()
WHERE job = :job

-- name: progress-finish
UPDATE bookops_backfill_progress
SET finished_at = now(), updated_at = now()
WHERE job = :job
