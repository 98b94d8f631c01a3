-- The chat objects (seed 004): the trigger functions, triggers and the unique key on chat_rooms,
-- found by name (CHAT_OBJECTS, src/platform/chat-objects.ts) or by columns (CHAT_ROOM_KEY).

-- name: chat-functions
-- The chat functions of the current schema, found by name (:names, from CHAT_OBJECTS in
-- src/platform/chat-objects.ts): their source (prosrc) and settings (proconfig: the pinned
-- search_path) are compared with the migration's.
SELECT p.oid::int AS oid,
       p.proname::text AS name,
       pg_get_function_arguments(p.oid) AS arguments,
       pg_get_function_result(p.oid) AS result,
       l.lanname::text AS language,
       p.prosrc AS source,
       coalesce(p.proconfig, '{}') AS config
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = current_schema()::regnamespace
  AND p.proname = ANY(:names)
ORDER BY p.proname, p.oid

-- name: chat-triggers
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

-- name: unique-indexes-on-exactly
-- The unique indexes (constraint or plain) on chat_rooms whose key is exactly :columns, in any
-- order, whatever their names, with what decides whether they keep a pair to one room: valid
-- and ready (not a failed CREATE INDEX CONCURRENTLY), immediate (ON CONFLICT refuses a
-- deferrable key as its arbiter, failing every insert), and without a predicate.
SELECT ic.relname::text AS index_name,
       con.conname::text AS constraint_name,
       i.indisvalid AND i.indisready AS valid,
       i.indimmediate AS immediate,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relname = :tableName
  AND i.indisunique
  AND i.indexprs IS NULL
  AND i.indnkeyatts = cardinality(CAST(:columns AS text[]))
  AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
       FROM unnest(CAST(i.indkey AS int2[])) WITH ORDINALITY AS k (attnum, n)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
       WHERE k.n <= i.indnkeyatts)
    = (SELECT array_agg(x ORDER BY x) FROM unnest(CAST(:columns AS text[])) AS x)
ORDER BY ic.relname

-- name: chat-site-triggers
-- Triggers on bookings, other than ours (:ours, comma-separated: CHAT_OBJECTS' trigger names),
-- that create chat rooms: their function is ours by name (:triggerFunction: a site trigger
-- calling it would run our AFTER body as a BEFORE trigger) or its body inserts into chat_rooms
-- (seed 004's triggers, built by hand under other names). With ours they would make every room
-- twice over; migration 0006 drops them (their definition recorded, restored by its down) and
-- audit chats.site-triggers reports one that is left.
SELECT t.tgname::text AS trigger_name,
       c.relname::text AS table_name,
       p.proname::text AS function_name,
       CASE t.tgenabled WHEN 'D' THEN 'disabled' ELSE 'enabled' END AS enabled_state,
       pg_get_triggerdef(t.oid) AS definition
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_proc p ON p.oid = t.tgfoid
WHERE NOT t.tgisinternal
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = 'bookings'
  AND t.tgname <> ALL (string_to_array(:ours, ','))
  AND (p.proname = :triggerFunction
       OR p.prosrc ~* 'insert\s+into\s+("?[a-z_0-9]+"?\.)?"?chat_rooms\M')
ORDER BY t.tgname
