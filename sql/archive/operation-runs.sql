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
