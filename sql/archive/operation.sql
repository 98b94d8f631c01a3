SELECT o.id, o.action, o.command_line, o.db_user, o.os_user, o.created_at, o.restored_at, o.restored_by, o.summary,
       (SELECT count(*) FROM bookops_archive_rows r WHERE r.operation_id = o.id) AS rows,
       coalesce((o.summary ->> 'complete')::boolean, true) AS complete
FROM bookops_archive_operations o
WHERE o.id = :operationId
