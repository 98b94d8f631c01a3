-- Foreign keys into :tableName that change rows of their table when a row is deleted (ON DELETE
-- CASCADE, SET NULL, SET DEFAULT), with their columns. A delete archives only the rows it
-- deletes itself: before it runs, rows such a key would change make it refuse (deleteArchived).
SELECT con.conname AS constraint_name,
       child.relname AS table_name,
       CASE con.confdeltype WHEN 'c' THEN 'cascade to' WHEN 'n' THEN 'set null in' ELSE 'set default in' END AS on_delete,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint AS con
JOIN pg_class AS child ON child.oid = con.conrelid
WHERE con.contype = 'f'
  AND con.confrelid = to_regclass(:tableName)
  AND con.confdeltype IN ('c', 'n', 'd')
ORDER BY child.relname, con.conname
