-- The foreign keys under a table: what a delete reaches (migration 0005, audit whatsapp.blocking-fks).

-- name: fk-tree
-- Every foreign key a delete of a :root row reaches inside its module (:tables, comma-separated,
-- in the root's schema): the keys that reference it, the keys that reference those tables, and so
-- on, found by walking pg_constraint whatever their names. The walk goes on through NO ACTION,
-- RESTRICT and CASCADE keys (the children must go, or go with it) and stops at SET NULL / SET
-- DEFAULT (the children stay). Keys from tables outside the module are left out: making them
-- cascade would delete rows bookops neither knows nor archives (`whatsapp delete` names them).
-- Flags for the statements that use it (migration 0005, audit whatsapp.blocking-fks):
--   blocks_delete       ON DELETE NO ACTION or RESTRICT: deleting a root row fails while children exist
--   cascade_unvalidated ON DELETE CASCADE but still NOT VALID
--   needs_index         no index starts with the key's columns, so a cascading delete scans the table
--   is_ours / unvalidated  a cascading key named by migration 0005 / any key still NOT VALID (its down)
--   superseded          blocks the delete, but a cascading key on the same columns and referenced
--                       columns sits beside it (added by hand, seed 003's ALTERs without their DROP):
--                       it is dropped, never swapped for a second cascading key
--   needs_swap          blocks the delete and nothing cascades in its place: swapped
--   to_validate / validate_name  the cascading keys that will be NOT VALID when 0005 validates
--                       them: the swapped ones (by new_name) and the unvalidated ones (by their
--                       name), so `migrate plan` prints the VALIDATEs before the swap makes them
-- cascade_clauses / blocking_clauses: what follows REFERENCES t (cols) in the swapped key, the
-- key's own MATCH, ON UPDATE and DEFERRABLE kept, with and without ON DELETE CASCADE.
WITH RECURSIVE module AS (
    SELECT r.oid
    FROM pg_class r
    WHERE r.relnamespace = (SELECT relnamespace FROM pg_class WHERE oid = to_regclass(:root))
      AND r.relname = ANY(string_to_array(:tables, ','))
),
tree(oid, conrelid, depth) AS (
    SELECT c.oid, c.conrelid, 1
    FROM pg_constraint c
    WHERE c.contype = 'f' AND c.confrelid = to_regclass(:root) AND c.conrelid IN (SELECT oid FROM module)
  UNION
    SELECT c.oid, c.conrelid, t.depth + 1
    FROM pg_constraint c
    JOIN tree t ON c.confrelid = t.conrelid
    JOIN pg_constraint parent ON parent.oid = t.oid
    WHERE c.contype = 'f' AND t.depth < 8 AND c.conrelid <> c.confrelid
      AND c.conrelid IN (SELECT oid FROM module)
      AND parent.confdeltype IN ('a', 'r', 'c')
),
fks AS (
  SELECT DISTINCT ON (c.oid)
         c.oid, c.conname, c.conrelid, c.confrelid, c.conkey, c.confkey, c.confdeltype, c.convalidated, t.depth,
         CASE c.confmatchtype WHEN 'f' THEN 'MATCH FULL' END AS match_clause,
         CASE c.confupdtype WHEN 'r' THEN 'ON UPDATE RESTRICT' WHEN 'c' THEN 'ON UPDATE CASCADE'
                            WHEN 'n' THEN 'ON UPDATE SET NULL' WHEN 'd' THEN 'ON UPDATE SET DEFAULT' END AS update_clause,
         CASE WHEN c.condeferred THEN 'DEFERRABLE INITIALLY DEFERRED' WHEN c.condeferrable THEN 'DEFERRABLE' END AS deferrable_clause
  FROM tree t
  JOIN pg_constraint c ON c.oid = t.oid
  ORDER BY c.oid, t.depth
)
SELECT f.conname AS constraint_name,
       n.nspname AS schema_name,
       r.relname AS table_name,
       cols.names AS columns,
       fn.nspname AS ref_schema,
       fr.relname AS ref_table,
       refcols.names AS ref_columns,
       f.confdeltype::text AS on_delete,
       f.confdeltype IN ('a', 'r') AS blocks_delete,
       f.confdeltype IN ('a', 'r') AND twin.cascading AS superseded,
       f.confdeltype IN ('a', 'r') AND NOT twin.cascading AS needs_swap,
       (f.confdeltype IN ('a', 'r') AND NOT twin.cascading) OR (f.confdeltype = 'c' AND NOT f.convalidated) AS to_validate,
       CASE WHEN f.confdeltype IN ('a', 'r') THEN left(r.relname || '_' || cols.names[1] || '_cascade_fkey', 63) ELSE f.conname END AS validate_name,
       f.confdeltype = 'c' AND NOT f.convalidated AS cascade_unvalidated,
       NOT EXISTS (
         SELECT 1 FROM pg_index i
         WHERE i.indrelid = f.conrelid
           AND i.indisvalid  -- an INVALID leftover of an interrupted build does not count: it is rebuilt
           AND (i.indkey::int2[])[0:cardinality(f.conkey) - 1] = f.conkey
       )
       -- a superseded key's columns are its cascading twin's: one index, asked for once
       AND NOT (f.confdeltype IN ('a', 'r') AND twin.cascading) AS needs_index,
       left(r.relname || '_' || cols.names[1] || '_cascade_fkey', 63) AS new_name,
       f.conname = left(r.relname || '_' || cols.names[1] || '_cascade_fkey', 63) AS is_ours,
       NOT f.convalidated AS unvalidated,
       left(r.relname || '_' || cols.names[1] || '_fkey', 63) AS legacy_name,
       left(r.relname || '_' || array_to_string(cols.names, '_') || '_idx', 63) AS index_name,
       concat_ws(' ', f.match_clause, 'ON DELETE CASCADE', f.update_clause, f.deferrable_clause, 'NOT VALID') AS cascade_clauses,
       concat_ws(' ', f.match_clause, f.update_clause, f.deferrable_clause, 'NOT VALID') AS blocking_clauses,
       f.depth
FROM fks f
JOIN pg_class r ON r.oid = f.conrelid
JOIN pg_namespace n ON n.oid = r.relnamespace
JOIN pg_class fr ON fr.oid = f.confrelid
JOIN pg_namespace fn ON fn.oid = fr.relnamespace
CROSS JOIN LATERAL (
  SELECT array_agg(a.attname::text ORDER BY k.ord) AS names
  FROM unnest(f.conkey) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.attnum
) AS cols
CROSS JOIN LATERAL (
  SELECT array_agg(a.attname::text ORDER BY k.ord) AS names
  FROM unnest(f.confkey) WITH ORDINALITY AS k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.attnum
) AS refcols
CROSS JOIN LATERAL (
  SELECT EXISTS (
    SELECT 1 FROM pg_constraint c2
    WHERE c2.contype = 'f' AND c2.oid <> f.oid AND c2.confdeltype = 'c'
      AND c2.conrelid = f.conrelid AND c2.confrelid = f.confrelid
      AND c2.conkey = f.conkey AND c2.confkey = f.confkey
  ) AS cascading
) AS twin
ORDER BY f.depth, r.relname, f.conname

-- name: key-columns
-- The columns of the foreign key `con` (a pg_constraint row) and the columns it references, in key
-- order: `columns` and `ref_columns` of a select list.
(SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns,
       (SELECT array_agg(a.attname::text ORDER BY k.ord)
        FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
        JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum) AS ref_columns
