-- The demo marker: bookops_demo holds the seed report of every seeding of this database, so
-- `bookops demo` knows it set the database up and can show the report again (json, not jsonb:
-- the report comes back with its keys in their order).
CREATE TABLE IF NOT EXISTS bookops_demo (
    id serial PRIMARY KEY,
    seeded_at timestamptz NOT NULL DEFAULT now(),
    scale integer NOT NULL,
    report json NOT NULL
)
