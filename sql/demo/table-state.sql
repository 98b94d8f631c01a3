-- For each of :names: whether it is a table of the current schema and whether it holds any row
-- (one cheap EXISTS per table, through query_to_xml so that this stays one statement).
SELECT t.name,
       c.oid IS NOT NULL AS present,
       CASE WHEN c.oid IS NULL THEN false
            ELSE (xpath('/row/x/text()',
                        query_to_xml(format('SELECT EXISTS (SELECT 1 FROM %I.%I) AS x', current_schema(), t.name),
                                     false, true, '')))[1]::text::boolean
       END AS has_rows
FROM unnest(:names::text[]) AS t(name)
LEFT JOIN pg_class c
       ON c.relname = t.name
      AND c.relnamespace = current_schema()::regnamespace
      AND c.relkind IN ('r', 'p')
