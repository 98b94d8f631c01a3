-- Which of the given tables exist in the current schema.
SELECT c.relname AS name
FROM pg_class c
WHERE c.relkind IN ('r', 'p')
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = ANY(:names)
