-- The columns of a table of the current schema (from pg_attribute, so a check adapts to the
-- schema it finds: e.g. notification_logs.candidate_tg_id exists only after the fix migration).
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relname = :tableName
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attnum
