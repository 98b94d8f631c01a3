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
