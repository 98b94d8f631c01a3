-- Columns a restore writes (not dropped, not generated) and the primary key columns of a table.
SELECT a.attname AS name,
       coalesce(a.attnum = ANY(i.indkey), false) AS primary_key
FROM pg_attribute a
LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid = to_regclass(:tableName)
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND a.attgenerated = ''
ORDER BY a.attnum
