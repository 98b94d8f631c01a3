INSERT INTO bookops_migration_checksums (name, checksum, recorded_at, skipped_for)
VALUES (:name, :checksum, now(), CAST(:skippedFor AS text[]))
ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, recorded_at = EXCLUDED.recorded_at, skipped_for = EXCLUDED.skipped_for
