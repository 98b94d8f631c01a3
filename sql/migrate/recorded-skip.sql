-- The tables a migration lacked when it was recorded without running (no row or NULL: it ran).
SELECT to_jsonb(c) -> 'skipped_for' AS skipped_for
FROM bookops_migration_checksums AS c
WHERE c.name = :name
