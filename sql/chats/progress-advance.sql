-- After one batch, in the batch's own transaction.
UPDATE bookops_backfill_progress
SET last_key = :lastKey,
    scanned = scanned + :scanned,
    created = created + :created,
    batches = batches + 1,
    batch_size = :batchSize,
    updated_at = now()
WHERE job = :job
