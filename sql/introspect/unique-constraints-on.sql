-- UNIQUE constraints of :tableName whose columns are exactly :columns (comma-separated, any
-- order), whatever their names. Used to drop a legacy key found by its columns.
SELECT c.conname AS constraint_name
FROM pg_constraint c
WHERE c.conrelid = to_regclass(:tableName)
  AND c.contype = 'u'
  AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
       FROM unnest(c.conkey) AS k(attnum)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
    = (SELECT array_agg(trim(x) ORDER BY trim(x)) FROM unnest(string_to_array(:columns, ',')) AS x)
ORDER BY c.conname
