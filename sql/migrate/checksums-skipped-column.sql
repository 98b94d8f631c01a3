-- Which required tables were absent when a migration was recorded without running (NULL: it ran).
-- Added to tables created before the column existed.
ALTER TABLE bookops_migration_checksums ADD COLUMN IF NOT EXISTS skipped_for text[]
