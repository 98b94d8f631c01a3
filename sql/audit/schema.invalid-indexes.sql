-- schema.invalid-indexes: INVALID indexes, what a failed or interrupted CREATE INDEX CONCURRENTLY
-- leaves behind (still maintained on writes, never used by queries). Indexes being built right
-- now (pg_stat_progress_create_index) are not reported.
WITH offending AS (
    SELECT n.nspname AS schema_name,
           ic.relname AS index_name,
           t.relname AS table_name,
           i.indisready AS ready,
           pg_get_indexdef(i.indexrelid) AS definition
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = ic.relnamespace
    WHERE NOT i.indisvalid
      AND n.nspname NOT IN ('pg_catalog', 'information_schema')
      AND n.nspname NOT LIKE 'pg\_toast%'
      AND n.nspname NOT LIKE 'pg\_temp%'
      AND NOT EXISTS (SELECT FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.schema_name, o.table_name, o.index_name
LIMIT :sample
