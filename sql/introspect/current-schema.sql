-- The schema a migration runs in (the first of its search_path that exists): one row, for
-- statements that pin a function's search_path to it (bookops:each with one row = run once).
SELECT current_schema() AS schema
