-- The catalog: what exists in the database, found in pg_class, pg_attribute, pg_index and
-- pg_constraint whatever it is named (a site's constraints and indexes have names of their own).
-- Read by src/data/catalog.repository.ts, and by name from migrations (-- bookops:each catalog/<name>).

-- name: tables
-- Which of the given tables exist in the current schema.
SELECT c.relname AS name
FROM pg_class c
WHERE c.relkind IN ('r', 'p')
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = ANY(:names)

-- name: same-base-type
-- Whether a column holds the values of a type as a migration spells it (BIGINT, int8): the same
-- type, or a domain over it (over a domain over it, …), whatever their modifiers (varchar(64) and
-- varchar(10) are one type here); null when the server knows no such type (or column).
WITH RECURSIVE column_type AS (
    SELECT a.atttypid AS oid
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    WHERE c.relname = :tableName
      AND c.relnamespace = current_schema()::regnamespace
      AND a.attname = :columnName
      AND NOT a.attisdropped
),
chain AS (
    SELECT t.oid, t.typbasetype, 0 AS depth FROM pg_type t JOIN column_type ct ON ct.oid = t.oid
    UNION ALL
    SELECT t.oid, t.typbasetype, chain.depth + 1 FROM pg_type t JOIN chain ON t.oid = chain.typbasetype
),
base AS (SELECT oid FROM chain WHERE typbasetype = 0 ORDER BY depth DESC LIMIT 1)
SELECT CASE WHEN to_regtype(:typeText) IS NULL THEN NULL ELSE base.oid = to_regtype(:typeText)::oid END AS same,
       format_type(to_regtype(:typeText), NULL) AS wanted
FROM base

-- name: columns
-- The columns of a table of the current schema (from pg_attribute, so a check adapts to the
-- schema it finds: e.g. notification_logs.candidate_tg_id exists only after the fix migration).
SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
WHERE c.relname = :tableName
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p')
  AND a.attnum > 0
  AND NOT a.attisdropped
ORDER BY a.attnum

-- name: current-schema
-- The schema a migration runs in (the first of its search_path that exists): one row, for
-- statements that pin a function's search_path to it (bookops:each with one row = run once).
SELECT current_schema() AS schema

-- name: server-version
SELECT current_setting('server_version_num')::int AS version

-- name: index-state
-- The index named :indexName in the current schema and whether it is usable. An INVALID index
-- is what a failed or interrupted CREATE INDEX CONCURRENTLY leaves behind.
SELECT c.relname AS name, i.indisvalid AS valid, i.indisready AS ready
FROM pg_class c
JOIN pg_index i ON i.indexrelid = c.oid
WHERE c.relname = :indexName
  AND c.relnamespace = current_schema()::regnamespace

-- name: constraint-absent
-- One row when :tableName has no constraint named :constraintName (lets a statement that adds
-- it run once, and be skipped on a re-run).
SELECT :constraintName AS constraint_name
WHERE NOT EXISTS (
  SELECT 1 FROM pg_constraint WHERE conrelid = to_regclass(:tableName) AND conname = :constraintName
)

-- name: unique-constraints-on
-- UNIQUE constraints of :tableName whose columns are exactly :columns (comma-separated, any
-- order), whatever their names. Used to drop a legacy key found by its columns.
SELECT c.conname AS constraint_name
FROM pg_constraint c
WHERE c.conrelid = to_regclass(:tableName)
  AND c.contype = 'u'
  AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
       FROM unnest(c.conkey) AS k(attnum)
       JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum)
    = (SELECT array_agg(trim(x) ORDER BY trim(x)) FROM unnest(string_to_array(:columns, ',')) AS x)
ORDER BY c.conname

-- name: unique-indexes-on
-- Unique indexes of :tableName on exactly :columns (comma-separated, any order), partial or
-- not, that do not back a constraint and are not in :keep (comma-separated: the index replacing
-- them, and the index built by hand that a migration adopted in its place).
SELECT ic.relname AS index_name
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
WHERE i.indrelid = to_regclass(:tableName)
  AND i.indisunique
  AND i.indexprs IS NULL
  AND ic.relname <> ALL (string_to_array(:keep, ','))
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  AND (SELECT array_agg(a.attname::text ORDER BY a.attname::text)
       FROM unnest(i.indkey::int2[]) AS k(attnum)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum)
    = (SELECT array_agg(trim(x) ORDER BY trim(x)) FROM unnest(string_to_array(:columns, ',')) AS x)
ORDER BY ic.relname

-- name: invalid-indexes
-- schema.invalid-indexes: INVALID indexes, what a failed or interrupted CREATE INDEX CONCURRENTLY
-- leaves behind (still maintained on writes, never used by queries). Indexes being built right
-- now (pg_stat_progress_create_index) are not reported.
SELECT n.nspname AS schema_name,
       ic.relname AS index_name,
       t.relname AS table_name,
       i.indisready AS ready,
       pg_get_indexdef(i.indexrelid) AS definition
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = ic.relnamespace
WHERE NOT i.indisvalid
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp%'
  AND NOT EXISTS (SELECT FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)

-- name: invalid-indexes-count
SELECT count(*)::int AS count FROM ({{invalid-indexes}}) AS o

-- name: invalid-indexes-sample
SELECT o.* FROM ({{invalid-indexes}}) AS o
ORDER BY o.schema_name, o.table_name, o.index_name
LIMIT :sample

-- name: table-indexes
-- The indexes of :tableName (every table of the current schema when NULL), whatever their names,
-- with what decides whether one does the job of another (src/migrate/equivalence.ts): its key
-- columns or expressions as pg_get_indexdef prints them, its predicate, uniqueness, validity
-- (an INVALID or not ready index is what a failed CREATE INDEX CONCURRENTLY leaves), whether
-- NULLs are distinct, whether it is immediate (a deferrable key cannot arbitrate ON CONFLICT), and
-- the backend still building it, if any. Read by migrate plan and up
-- (adopt an index built by hand instead of building a twin) and by audit
-- schema.redundant-unique-indexes.
SELECT t.relname::text AS table,
       ic.relname::text AS index_name,
       con.conname::text AS constraint_name,
       i.indisunique AS unique,
       i.indisvalid AND i.indisready AS valid,
       i.indimmediate AS immediate,
       -- NULLS NOT DISTINCT (PostgreSQL 15+; read by name so 14, without the column, reads false).
       COALESCE((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false) AS nulls_not_distinct,
       ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true) FROM generate_series(1, i.indnkeyatts) AS k ORDER BY k) AS keys,
       pg_get_expr(i.indpred, i.indrelid, true) AS predicate,
       pg_get_indexdef(i.indexrelid) AS definition,
       -- An INVALID index whose CREATE INDEX CONCURRENTLY is still running: not a leftover.
       (SELECT p.pid FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid LIMIT 1) AS building_pid
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('u', 'p', 'x')
WHERE t.relnamespace = current_schema()::regnamespace
  AND t.relkind IN ('r', 'p')
  AND (CAST(:tableName AS text) IS NULL OR t.relname = :tableName)
ORDER BY t.relname, ic.relname

-- name: trigger-definition
-- The trigger :triggerName on :tableName (current schema), as CREATE TRIGGER, and whether it fires.
SELECT pg_get_triggerdef(t.oid) AS definition, t.tgenabled = 'D' AS disabled
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
WHERE NOT t.tgisinternal
  AND c.relnamespace = current_schema()::regnamespace
  AND c.relname = :tableName
  AND t.tgname = :triggerName

-- name: function-definitions
-- The functions named :functionName in the current schema, as CREATE OR REPLACE FUNCTION, with
-- their argument types (to match the signature a migration replaces).
SELECT pg_get_functiondef(p.oid) AS definition,
       ARRAY(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) AS t) AS argument_types
FROM pg_proc p
WHERE p.pronamespace = current_schema()::regnamespace
  AND p.proname = :functionName
  AND p.prokind = 'f'

-- name: constraint-definition
-- The constraint :constraintName of :tableName (schema-qualified or on the search_path), what it
-- is and whether it is validated: what `migrate plan` says it finds before 0005 drops or
-- validates a key the site added by hand.
SELECT c.contype::text AS type,
       pg_get_constraintdef(c.oid) AS definition,
       c.convalidated AS validated
FROM pg_constraint c
WHERE c.conrelid = to_regclass(:tableName)
  AND c.conname = :constraintName

-- name: citus-extension
-- The citus extension, when this database is a Citus coordinator (docs/SCALE-OUT.md): its
-- version; no row on a plain PostgreSQL.
SELECT extversion AS version FROM pg_extension WHERE extname = 'citus'
