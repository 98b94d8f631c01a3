-- Databases of a cluster, on a plain connection to its `postgres` database (the embedded
-- cluster's target database, `demo --reset`). Positional parameters: the client is pg, not Knex.

-- name: database-exists
SELECT 1 FROM pg_database WHERE datname = $1

-- name: create-database
CREATE DATABASE {{name}}

-- name: drop-database
-- WITH (FORCE) ends other sessions on it (a psql left open), which the user has confirmed.
DROP DATABASE IF EXISTS {{name}} WITH (FORCE)
