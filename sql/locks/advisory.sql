-- Session advisory locks that serialise whole runs (migrate up/down/baseline, the chat backfill),
-- taken on a dedicated connection by src/data/advisory-lock.ts. Parameters are positional: the
-- connection is a plain pg client, not Knex.

-- name: try-lock
SELECT pg_try_advisory_lock($1, $2) AS ok

-- name: unlock
SELECT pg_advisory_unlock($1, $2)

-- name: holder
-- Who holds the lock (two-key form $1, $2).
SELECT a.pid, a.usename AS "user", a.application_name, a.client_addr::text AS client_addr,
       a.backend_start, a.state, a.query_start
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.classid = $1
  AND l.objid = $2
  AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
