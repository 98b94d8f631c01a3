-- One row when :tableName has no constraint named :constraintName (lets a statement that adds
-- it run once, and be skipped on a re-run).
SELECT :constraintName AS constraint_name
WHERE NOT EXISTS (
  SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(:tableName) AND conname = :constraintName
)
