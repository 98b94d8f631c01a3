-- What the archive needs to know of a table before it deletes from it or puts rows back.

-- name: cascading-keys
-- Foreign keys into :tableName that change rows of their table when a row is deleted (ON DELETE
-- CASCADE, SET NULL, SET DEFAULT), with their columns. A delete archives only the rows it
-- deletes itself: before it runs, rows such a key would change make it refuse.
SELECT con.conname AS constraint_name,
       child.relname AS table_name,
       CASE con.confdeltype WHEN 'c' THEN 'cascade to' WHEN 'n' THEN 'set null in' ELSE 'set default in' END AS on_delete,
       {{catalog/key-columns}}
FROM pg_constraint AS con
JOIN pg_class AS child ON child.oid = con.conrelid
WHERE con.contype = 'f'
  AND con.confrelid = to_regclass(:tableName)
  AND con.confdeltype IN ('c', 'n', 'd')
ORDER BY child.relname, con.conname

-- name: table-columns
-- Columns a restore writes (not dropped, not generated) and the primary key columns of a table,
-- with their types (a key read out of an archived image is cast to it).
SELECT a.attname AS name,
       coalesce(a.attnum = ANY(i.indkey), false) AS primary_key,
       format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid = to_regclass(:tableName)
  AND a.attnum > 0
  AND NOT a.attisdropped
  AND a.attgenerated = ''
ORDER BY a.attnum

-- name: any-referencing
-- Whether a row of {{child}} references, through the key ({{columns}}) -> ({{refColumns}}), a
-- row of {{table}} matched by {{where}}: what a delete would cascade to, set null in, or be
-- blocked by. Stops at the first.
SELECT EXISTS (
    SELECT FROM {{child}} AS c
    WHERE ({{columns}}) IN (SELECT {{refColumns}} FROM {{table}} AS t WHERE {{where}})
) AS hit

-- name: count-referencing
SELECT count(*)::int AS n
FROM {{child}} AS c
WHERE ({{columns}}) IN (SELECT {{refColumns}} FROM {{table}} AS t WHERE {{where}})
