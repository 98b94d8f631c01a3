-- The index named :indexName in the current schema and whether it is usable. An INVALID index
-- is what a failed or interrupted CREATE INDEX CONCURRENTLY leaves behind.
SELECT c.relname AS name, i.indisvalid AS valid, i.indisready AS ready
FROM pg_class c
JOIN pg_index i ON i.indexrelid = c.oid
WHERE c.relname = :indexName
  AND c.relnamespace = current_schema()::regnamespace
