-- An operation's archived rows in the order they were archived.
SELECT id, table_name, change, row_data
FROM bookops_archive_rows
WHERE operation_id = :operationId
ORDER BY id
