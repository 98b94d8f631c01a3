-- Unique constraints or unique indexes on interviews (time_slot_id) alone, whatever their names.
-- A key without a predicate is the legacy one (seed 000): it counts cancelled rows, so they
-- still hold their slot. A partial one is migration 0002's key on the active statuses. An
-- INVALID but ready index still enforces uniqueness, so only indisready is required.
SELECT ic.relname AS index_name,
       con.conname AS constraint_name,
       i.indpred IS NOT NULL AS partial
FROM pg_index AS i
JOIN pg_class AS ic ON ic.oid = i.indexrelid
JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attname = 'time_slot_id' AND NOT a.attisdropped
LEFT JOIN pg_constraint AS con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('u', 'p')
WHERE i.indrelid = to_regclass('interviews')
  AND i.indisunique
  AND i.indisready
  AND i.indexprs IS NULL
  AND i.indnkeyatts = 1
  AND i.indkey[0] = a.attnum
ORDER BY ic.relname
