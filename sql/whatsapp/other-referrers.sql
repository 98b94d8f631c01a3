-- Foreign keys into the number's tree from tables bookops does not know, with their columns (in
-- key order) so the rows they hold for one number can be counted. A delete archives only the
-- known tables: rows a cascading or nulling key would change are rows no undo could bring back,
-- so the delete refuses while there are any; rows held by a blocking key make it fail.
SELECT con.conname AS constraint_name,
       child.relname AS table_name,
       parent.relname AS references_table,
       CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default'
                            WHEN 'r' THEN 'restrict' ELSE 'no action' END AS on_delete,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
FROM pg_constraint AS con
JOIN pg_class AS child ON child.oid = con.conrelid
JOIN pg_class AS parent ON parent.oid = con.confrelid
WHERE con.contype = 'f'
  AND parent.relnamespace = current_schema()::regnamespace
  AND parent.relname = ANY(:treeTables)
  AND NOT (child.relnamespace = current_schema()::regnamespace AND child.relname = ANY(:treeTables))
ORDER BY child.relname, con.conname
