-- Applied migrations in the order they ran, with the checksum recorded when each ran and the
-- tables that were absent when one was recorded without running (through to_jsonb: a
-- bookkeeping table from before that column has none, and status must not alter it).
SELECT m.name, m.batch, m.migration_time AS applied_at, c.checksum, to_jsonb(c) -> 'skipped_for' AS skipped_for
FROM bookops_migrations m
LEFT JOIN bookops_migration_checksums c ON c.name = m.name
ORDER BY m.id
