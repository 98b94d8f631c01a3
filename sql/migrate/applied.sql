-- Applied migrations in the order they ran, with the checksum recorded when each ran.
SELECT m.name, m.batch, m.migration_time AS applied_at, c.checksum
FROM bookops_migrations m
LEFT JOIN bookops_migration_checksums c ON c.name = m.name
ORDER BY m.id
