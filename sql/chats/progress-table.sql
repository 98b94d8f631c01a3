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
