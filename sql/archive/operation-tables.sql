-- Rows per table and change of one operation.
SELECT table_name, change, count(*)::int AS rows
FROM bookops_archive_rows
WHERE operation_id = :operationId
GROUP BY table_name, change
ORDER BY min(id)
