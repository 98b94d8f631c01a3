INSERT INTO bookops_migration_checksums (name, checksum, recorded_at)
VALUES (:name, :checksum, now())
ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, recorded_at = EXCLUDED.recorded_at
