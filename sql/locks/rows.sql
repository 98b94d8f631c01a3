-- Run locks as a row (bookops_run_locks), for connections through a pooler, where a session
-- advisory lock is held by a server connection other clients share. Taken and kept alive by
-- src/data/lock-row.ts on short plain-client connections. Parameters are positional.

-- name: row-create-table
CREATE TABLE IF NOT EXISTS bookops_run_locks (
  lock_name text PRIMARY KEY,
  holder uuid NOT NULL,
  host text NOT NULL,
  pid integer NOT NULL,
  db_user text NOT NULL DEFAULT current_user,
  acquired_at timestamptz NOT NULL DEFAULT now(),
  heartbeat_at timestamptz NOT NULL DEFAULT now()
)

-- name: row-table-exists
SELECT to_regclass('bookops_run_locks') IS NOT NULL AS ok

-- name: row-try-take
-- Takes the lock when nobody holds it, or when its holder has not been seen for $5 seconds (a
-- run that was killed). took_over: the row was another holder's (xmax is set on the update).
INSERT INTO bookops_run_locks AS l (lock_name, holder, host, pid)
VALUES ($1, $2, $3, $4)
ON CONFLICT (lock_name) DO UPDATE
  SET holder = EXCLUDED.holder, host = EXCLUDED.host, pid = EXCLUDED.pid, db_user = current_user,
      acquired_at = now(), heartbeat_at = now()
  WHERE l.heartbeat_at < now() - make_interval(secs => $5)
RETURNING (l.xmax::text <> '0') AS took_over

-- name: row-heartbeat
-- Still ours (nobody took it over as stale): then seen now.
UPDATE bookops_run_locks SET heartbeat_at = now()
WHERE lock_name = $1 AND holder = $2
RETURNING 1 AS ok

-- name: row-release
DELETE FROM bookops_run_locks WHERE lock_name = $1 AND holder = $2

-- name: row-holder
SELECT pid, db_user AS "user", host, acquired_at, heartbeat_at
FROM bookops_run_locks
WHERE lock_name = $1

-- name: row-live-holder
-- The run through a pooler that holds the lock now (seen within $2 seconds), if any: a run on a
-- direct connection checks it after taking the advisory lock, so the two kinds exclude each other.
SELECT pid, db_user AS "user", host, acquired_at, heartbeat_at
FROM bookops_run_locks
WHERE lock_name = $1
  AND heartbeat_at >= now() - make_interval(secs => $2)
