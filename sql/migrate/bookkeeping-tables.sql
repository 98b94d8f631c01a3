-- Which bookkeeping tables exist (plan and status must not create them).
SELECT to_regclass('bookops_migrations') IS NOT NULL AS migrations,
       to_regclass('bookops_migration_checksums') IS NOT NULL AS checksums
