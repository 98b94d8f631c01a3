-- The archive's operations: one per destructive run, what it did and whether it was restored.
-- Every destructive bookops action stores what it removes or changes in bookops_archive_rows, in
-- the same transaction, so `bookops archive restore <op>` can put it back exactly.

-- name: ensure-tables
-- Created on first use (a database bookops never migrated can still be repaired); rows a rule
-- inserts along the way are recorded too, so the restore removes them.
CREATE TABLE IF NOT EXISTS bookops_archive_operations (
    id bigserial PRIMARY KEY,
    action text NOT NULL,
    command_line text NOT NULL,
    db_user text NOT NULL DEFAULT current_user,
    os_user text,
    summary jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    restored_at timestamptz,
    restored_by text
);
CREATE TABLE IF NOT EXISTS bookops_archive_rows (
    id bigserial PRIMARY KEY,
    operation_id bigint NOT NULL REFERENCES bookops_archive_operations (id) ON DELETE CASCADE,
    table_name text NOT NULL,
    change text NOT NULL CHECK (change IN ('deleted', 'updated', 'inserted')),
    row_data jsonb NOT NULL,
    -- For an updated row: the row as the operation left it, recorded when its transaction ends,
    -- so a restore can tell whether someone changed it since (and refuse to overwrite that).
    after_data jsonb
);
-- Archives created before after_data existed.
ALTER TABLE bookops_archive_rows ADD COLUMN IF NOT EXISTS after_data jsonb;
CREATE INDEX IF NOT EXISTS bookops_archive_rows_operation ON bookops_archive_rows (operation_id, id);

-- name: lock-ddl
-- Two first uses at once must not both create the tables.
SELECT pg_advisory_xact_lock(hashtext('bookops.archive.ddl'))

-- name: state
-- Whether the archive exists here, and has the after_data column of today's archives.
SELECT to_regclass('bookops_archive_operations') IS NOT NULL
       AND to_regclass('bookops_archive_rows') IS NOT NULL AS present,
       EXISTS (SELECT FROM pg_attribute
               WHERE attrelid = to_regclass('bookops_archive_rows') AND attname = 'after_data' AND NOT attisdropped) AS after_images

-- name: begin-operation
INSERT INTO bookops_archive_operations (action, command_line, os_user, summary)
VALUES (:action, :commandLine, :osUser, CAST(:summary AS jsonb))
RETURNING id, action, command_line, db_user, os_user, created_at

-- name: operation-has-rows
SELECT EXISTS (SELECT FROM bookops_archive_rows WHERE operation_id = :operationId) AS present

-- name: set-summary
UPDATE bookops_archive_operations SET summary = CAST(:summary AS jsonb) WHERE id = :operationId

-- name: list-operations
-- The latest operations. `complete` is false for a run that never reached its end (interrupted,
-- failed in a later batch, or still running): what it committed is archived, the rest never ran.
-- Operations written before the flag existed count as complete.
SELECT o.id, o.action, o.command_line, o.db_user, o.os_user, o.created_at, o.restored_at, o.summary,
       (SELECT count(*) FROM bookops_archive_rows r WHERE r.operation_id = o.id) AS rows,
       coalesce((o.summary ->> 'complete')::boolean, true) AS complete
FROM bookops_archive_operations o
ORDER BY o.id DESC
LIMIT :limit

-- name: operation
SELECT o.id, o.action, o.command_line, o.db_user, o.os_user, o.created_at, o.restored_at, o.restored_by, o.summary,
       (SELECT count(*) FROM bookops_archive_rows r WHERE r.operation_id = o.id) AS rows,
       coalesce((o.summary ->> 'complete')::boolean, true) AS complete
FROM bookops_archive_operations o
WHERE o.id = :operationId

-- name: lock-operation
-- The operation a restore undoes, locked: two restores of one operation queue here.
SELECT o.id, o.restored_at
FROM bookops_archive_operations o
WHERE o.id = :operationId
FOR UPDATE

-- name: mark-restored
UPDATE bookops_archive_operations SET restored_at = now(), restored_by = :restoredBy WHERE id = :operationId

-- name: operation-tables
-- Rows per table and change of one operation.
SELECT table_name, change, count(*)::int AS rows
FROM bookops_archive_rows
WHERE operation_id = :operationId
GROUP BY table_name, change
ORDER BY min(id)

-- name: operation-sample
-- The first rows of one operation, in the order they were archived.
SELECT table_name, change, row_data
FROM bookops_archive_rows
WHERE operation_id = :operationId
ORDER BY id
LIMIT :limit

-- name: operation-runs
-- An operation's archived rows as runs: consecutive rows (in archive order) of one table and one
-- change. Restore undoes run by run, newest run first, one statement per run: the same result as
-- replaying the undo log row by row, because rows of one run do not depend on each other's
-- order (foreign keys are checked at the end of each statement).
SELECT table_name, change, min(id) AS first_id, max(id) AS last_id, count(*)::integer AS rows
FROM (
    SELECT id, table_name, change,
           row_number() OVER (ORDER BY id)
         - row_number() OVER (PARTITION BY table_name, change ORDER BY id) AS run
    FROM bookops_archive_rows
    WHERE operation_id = :operationId
) AS numbered
GROUP BY table_name, change, run
ORDER BY last_id DESC
