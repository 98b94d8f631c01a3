-- Knex's migrations table has no checksum column; ours sits beside it, keyed by name.
CREATE TABLE IF NOT EXISTS bookops_migration_checksums (
  name text PRIMARY KEY,
  checksum text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now()
)
