-- The latest operations. `complete` is false for a run that never reached its end (interrupted,
-- failed in a later batch, or still running): what it committed is archived, the rest never ran.
-- Operations written before the flag existed count as complete.
SELECT o.id, o.action, o.command_line, o.db_user, o.os_user, o.created_at, o.restored_at, o.summary,
       (SELECT count(*) FROM bookops_archive_rows r WHERE r.operation_id = o.id) AS rows,
       coalesce((o.summary ->> 'complete')::boolean, true) AS complete
FROM bookops_archive_operations o
ORDER BY o.id DESC
LIMIT :limit
