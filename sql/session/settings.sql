-- The session settings of src/data/connect.ts, for connections where they cannot be start-up
-- parameters (a connection pooler). Parameters are positional: sent by the plain pg client.

-- name: set-local
-- Transaction-local (is_local = true): they end with the transaction, so a pooled server
-- connection goes back to the pool as it came. client_connection_check_interval exists from
-- PostgreSQL 14; CASE keeps an older server from evaluating it.
SELECT set_config('lock_timeout', $1, true) AS lock_timeout,
       set_config('statement_timeout', $2, true) AS statement_timeout,
       CASE WHEN current_setting('server_version_num')::int >= 140000
            THEN set_config('client_connection_check_interval', $3, true) END AS client_check,
       -- $4 = 'on': this transaction only reads (the exporter's sessions); 'off' leaves it as it began.
       CASE WHEN $4 = 'on' THEN set_config('transaction_read_only', 'on', true) END AS read_only

-- name: in-force
-- What a connection runs with, in milliseconds: to tell start-up parameters that a pooler
-- dropped (ignore_startup_parameters) from ones that took.
SELECT (SELECT setting FROM pg_settings WHERE name = 'lock_timeout')::bigint AS lock_ms,
       (SELECT setting FROM pg_settings WHERE name = 'statement_timeout')::bigint AS statement_ms

-- name: in-recovery
-- A hot standby (a streaming replica) is in recovery: it serves reads and refuses every write.
SELECT pg_is_in_recovery() AS standby
