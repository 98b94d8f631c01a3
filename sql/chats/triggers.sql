-- The chat triggers of the current schema, found by name (:names) on whatever table they sit,
-- with what decides whether they fire: tgenabled (O and A fire; D never, R only on replicas),
-- timing and events from the tgtype bits, UPDATE OF columns, and the function they call.
SELECT t.tgname::text AS name,
       c.relname::text AS table_name,
       t.tgenabled AS enabled_code,
       CASE t.tgenabled WHEN 'O' THEN 'enabled' WHEN 'A' THEN 'always' WHEN 'R' THEN 'replica only' WHEN 'D' THEN 'disabled' END AS enabled_state,
       (t.tgtype & 1) <> 0 AS for_each_row,
       CASE WHEN (t.tgtype & 64) <> 0 THEN 'INSTEAD OF' WHEN (t.tgtype & 2) <> 0 THEN 'BEFORE' ELSE 'AFTER' END AS timing,
       array_remove(ARRAY[
           CASE WHEN (t.tgtype & 4) <> 0 THEN 'INSERT' END,
           CASE WHEN (t.tgtype & 16) <> 0 THEN 'UPDATE' END,
           CASE WHEN (t.tgtype & 8) <> 0 THEN 'DELETE' END,
           CASE WHEN (t.tgtype & 32) <> 0 THEN 'TRUNCATE' END
       ], NULL) AS events,
       coalesce((SELECT array_agg(a.attname::text ORDER BY a.attname)
                 FROM unnest(t.tgattr) AS k (attnum)
                 JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum), '{}') AS update_columns,
       p.proname::text AS function_name,
       pg_get_triggerdef(t.oid) AS definition
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal
  AND c.relnamespace = current_schema()::regnamespace
  AND t.tgname = ANY(:names)
ORDER BY t.tgname, c.relname
