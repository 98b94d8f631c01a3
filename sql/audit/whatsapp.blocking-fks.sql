-- whatsapp.blocking-fks: foreign keys that stop a whatsapp_numbers row from being deleted.
-- The tree is walked in pg_constraint from whatsapp_numbers down every foreign key a delete
-- reaches (NO ACTION, RESTRICT: the children must go first; CASCADE: they go with it; SET NULL /
-- SET DEFAULT stop the walk). A key in that tree whose ON DELETE is NO ACTION or RESTRICT blocks.
WITH RECURSIVE tree (relid, path) AS (
    SELECT to_regclass('whatsapp_numbers')::oid, ARRAY[to_regclass('whatsapp_numbers')::oid]
    UNION ALL
    SELECT c.conrelid, t.path || c.conrelid
    FROM tree t
    JOIN pg_constraint c ON c.contype = 'f' AND c.confrelid = t.relid
    WHERE c.confdeltype IN ('a', 'r', 'c')
      AND NOT c.conrelid = ANY(t.path)
), offending AS (
    SELECT c.conname AS constraint_name,
           c.conrelid::regclass::text AS table_name,
           c.confrelid::regclass::text AS references_table,
           (SELECT string_agg(a.attname, ', ' ORDER BY k.ord)
              FROM unnest(c.conkey) WITH ORDINALITY AS k (attnum, ord)
              JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum) AS columns,
           CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT' END AS on_delete,
           c.convalidated AS validated
    FROM pg_constraint c
    WHERE c.contype = 'f'
      AND c.confdeltype IN ('a', 'r')
      AND c.confrelid IN (SELECT DISTINCT relid FROM tree)
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.table_name, o.constraint_name
LIMIT :sample
