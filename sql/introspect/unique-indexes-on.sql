-- Unique indexes of :tableName on exactly :columns (comma-separated, any order), partial or
-- not, that do not back a constraint and are not :keep (the index replacing them).
SELECT ic.relname AS index_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = to_regclass(:tableName)
  AND i.indisunique
  AND i.indexprs IS NULL
  AND ic.relname <> :keep
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
       FROM unnest(i.indkey::int2[]) AS k(attnum)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
    = (SELECT array_agg(trim(x) ORDER BY trim(x)) FROM unnest(string_to_array(:columns, ',')) AS x)
ORDER BY ic.relname
