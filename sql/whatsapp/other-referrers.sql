-- Foreign keys into the number's tree from tables bookops does not know. A delete archives only
-- the known tables: a cascading or nulling key from elsewhere would change rows no undo could
-- bring back, so the delete refuses; a blocking one fails the delete (nothing is lost).
SELECT con.conname AS constraint_name,
       child.relname AS table_name,
       parent.relname AS references_table,
       CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default'
                            WHEN 'r' THEN 'restrict' ELSE 'no action' END AS on_delete
FROM pg_constraint AS con
JOIN pg_class AS child ON child.oid = con.conrelid
JOIN pg_class AS parent ON parent.oid = con.confrelid
WHERE con.contype = 'f'
  AND parent.relnamespace = current_schema()::regnamespace
  AND parent.relname = ANY(:treeTables)
  AND NOT (child.relnamespace = current_schema()::regnamespace AND child.relname = ANY(:treeTables))
ORDER BY child.relname, con.conname
