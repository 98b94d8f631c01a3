-- The chat functions of the current schema, found by name (:names, from CHAT_OBJECTS in
-- src/domain/lessons/chat-objects.ts): their source (prosrc) and settings (proconfig: the pinned
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
