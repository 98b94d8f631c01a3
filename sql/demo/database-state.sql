-- What the demo finds in the current schema: relations that are neither platform tables
-- (:platform) nor bookops' own bookkeeping (bookops_*), and whether the demo marker exists.
SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (
           WHERE c.relname <> ALL(:platform::text[]) AND c.relname NOT LIKE 'bookops\_%'), '{}') AS foreign_tables,
       coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE c.relname = ANY(:platform::text[])), '{}') AS platform_tables,
       bool_or(c.relname = 'bookops_demo') IS TRUE AS has_marker
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
