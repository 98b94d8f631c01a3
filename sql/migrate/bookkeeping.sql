-- The migration runner's bookkeeping beside Knex's own table (bookops_migrations): the checksum
-- each migration was applied with, and the tables a migration lacked when it was recorded without
-- running.

-- name: bookkeeping-tables
-- Which bookkeeping tables exist (plan and status must not create them).
SELECT to_regclass('bookops_migrations') IS NOT NULL AS migrations,
       to_regclass('bookops_migration_checksums') IS NOT NULL AS checksums

-- name: applied
-- Applied migrations in the order they ran, with the checksum recorded when each ran and the
-- tables that were absent when one was recorded without running (through to_jsonb: a
-- bookkeeping table from before that column has none, and status must not alter it).
SELECT m.name, m.batch, m.migration_time AS applied_at, c.checksum, to_jsonb(c) -> 'skipped_for' AS skipped_for
FROM bookops_migrations m
LEFT JOIN bookops_migration_checksums c ON c.name = m.name
ORDER BY m.id

-- name: create-checksums
-- Knex's migrations table has no checksum column; ours sits beside it, keyed by name.
CREATE TABLE IF NOT EXISTS bookops_migration_checksums (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)

-- name: checksums-skipped-column
-- Which required tables were absent when a migration was recorded without running (NULL: it ran).
-- Added to tables created before the column existed.
ALTER TABLE bookops_migration_checksums ADD COLUMN IF NOT EXISTS skipped_for text[]

-- name: record-checksum
INSERT INTO bookops_migration_checksums (name, checksum, recorded_at, skipped_for)
VALUES (:name, :checksum, now(), CAST(:skippedFor AS text[]))
ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, recorded_at = EXCLUDED.recorded_at, skipped_for = EXCLUDED.skipped_for

-- name: recorded-skip
-- The tables a migration lacked when it was recorded without running (no row or NULL: it ran).
SELECT to_jsonb(c) -> 'skipped_for' AS skipped_for
FROM bookops_migration_checksums AS c
WHERE c.name = :name

-- name: forget
-- A migration recorded as skipped whose tables exist now is taken off the applied list.
WITH gone AS (DELETE FROM bookops_migrations WHERE name = ANY(CAST(:names AS text[])))
DELETE FROM bookops_migration_checksums WHERE name = ANY(CAST(:names AS text[]))

-- name: record-baseline
-- The baseline recorded as applied without running it (Knex's table, batch 1).
INSERT INTO bookops_migrations (name, batch, migration_time) VALUES (:name, 1, now())

-- name: unrecord-checksum
DELETE FROM bookops_migration_checksums WHERE name = :name

-- name: preflight-count
-- How many rows a migration's preflight query ({{preflight}}, from the migration file) returns.
SELECT count(*)::int AS violations FROM ({{preflight}}) AS preflight

-- name: preflight-sample
SELECT * FROM ({{preflight}}) AS preflight LIMIT :sample

-- name: create-objects
-- What a migration's up found and did to objects it did not create (src/migrate/hand-made.ts):
--   adopted   an object built by hand that already did the job (an index, a unique key, a column):
--             up used it instead of building a twin, and its down leaves it where it was
--   created   a column up added itself (written before the ALTER runs, so a run resumed after a
--             crash still knows the column is bookops', not the site's)
--   replaced  a trigger or function of the site that up replaced or dropped on purpose, with its
--             definition: down puts it back instead of leaving nothing
-- Kept until the migration is reverted.
CREATE TABLE IF NOT EXISTS bookops_migration_objects (
  migration text NOT NULL,
  kind text NOT NULL,
  name text NOT NULL,
  action text NOT NULL CHECK (action IN ('adopted', 'created', 'replaced')),
  definition text,
  ord serial,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (migration, kind, name)
)

-- name: objects-table
SELECT to_regclass('bookops_migration_objects') IS NOT NULL AS present

-- name: record-object
-- The first record of an object wins: a resumed run must not turn what bookops created into
-- something it found.
INSERT INTO bookops_migration_objects (migration, kind, name, action, definition)
VALUES (:migration, :kind, :name, :action, :definition)
ON CONFLICT (migration, kind, name) DO NOTHING

-- name: recorded-objects
SELECT kind, name, action, definition
FROM bookops_migration_objects
WHERE migration = :migration
ORDER BY ord

-- name: forget-objects
DELETE FROM bookops_migration_objects WHERE migration = :migration
