-- Checkpoints of resumable backfills, one row per job. A batch and its checkpoint commit in the
-- same transaction, so after a crash the next run resumes exactly after the last committed batch.
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
