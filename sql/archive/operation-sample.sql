-- The first rows of one operation, in the order they were archived.
SELECT table_name, change, row_data
FROM bookops_archive_rows
WHERE operation_id = :operationId
ORDER BY id
LIMIT :limit
