-- How a destructive rule changes rows: every statement archives what it removes or changes in the
-- same statement or just before it, in the same transaction. {{table}} is a quoted table name,
-- {{where}} a predicate over it (alias t) and {{set}} the assignments of an update, all named
-- blocks of the rules' own areas: a plan carries them, --dry-run prints these statements, and
-- the run sends exactly them (src/archive/changes.ts).

-- name: delete-archived
-- Deletes the rows and archives each one, in one statement; the deleted rows come back.
WITH gone AS (DELETE FROM {{table}} AS t WHERE {{where}} RETURNING t.*),
archived AS (
    INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
    SELECT :archiveOperationId, :archiveTable, 'deleted', to_jsonb(gone) FROM gone
)
SELECT * FROM gone

-- name: delete-archived-count
-- The same for large batches: only the count comes back to the client.
WITH gone AS (DELETE FROM {{table}} AS t WHERE {{where}} RETURNING t.*),
archived AS (
    INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
    SELECT :archiveOperationId, :archiveTable, 'deleted', to_jsonb(gone) FROM gone
)
SELECT count(*)::integer AS deleted FROM gone

-- name: archive-before-update
-- The rows a rule's own statement is about to update (an enqueue's refresh of a pending message,
-- a reservation), archived as they are and locked until commit; their after-images are recorded
-- as the transaction ends (record-after-images), as every updated row's is. FOR NO KEY UPDATE
-- does not block inserts of children that reference them (a log written for a slot being approved).
WITH matched AS (SELECT t.* FROM {{table}} AS t WHERE {{where}} FOR NO KEY UPDATE)
INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
SELECT :archiveOperationId, :archiveTable, 'updated', to_jsonb(matched) FROM matched
RETURNING id

-- name: archive-and-update
-- An update and its archive in one statement: each row of `where` locked as archive-before-update
-- locks it, then updated by its id, and archived as it was (row_data) and as the update left it
-- (after_data); as the transaction ends, record-after-images writes it again only where the row
-- changed since (a site's trigger, a later statement). In READ COMMITTED a row changed
-- concurrently is locked in its newest version and re-checked against `where` before it is
-- archived, and the update of the same statement follows it to that version. The locked rows
-- are passed on as an id and a jsonb only, so the assignments' column names stay those of the
-- table alone.
WITH matched AS (SELECT t.* FROM {{table}} AS t WHERE {{where}} FOR NO KEY UPDATE),
changed AS (
    UPDATE {{table}} AS t SET {{set}}
    FROM (SELECT m.id AS bookops_id, to_jsonb(m) AS bookops_before FROM matched AS m) AS m
    WHERE t.id = m.bookops_id
    RETURNING m.bookops_before, to_jsonb(t) AS bookops_after
)
INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data, after_data)
SELECT :archiveOperationId, :archiveTable, 'updated', c.bookops_before, c.bookops_after FROM changed AS c
RETURNING id

-- name: record-inserted
-- Rows a rule has just inserted, recorded so that a restore removes them again.
WITH inserted AS (SELECT t.* FROM {{table}} AS t WHERE t.id = ANY(CAST(:ids AS bigint[])))
INSERT INTO bookops_archive_rows (operation_id, table_name, change, row_data)
SELECT :archiveOperationId, :archiveTable, 'inserted', to_jsonb(inserted) FROM inserted
RETURNING id

-- name: page
-- One page of ids a plan found, each row re-checked against the rule's predicate: a batch
-- changes exactly the rows the user confirmed, fewer if some stopped matching, never others.
t.id = ANY(CAST(:ids AS bigint[])) AND ({{predicate}})

-- name: plan-ids
-- A plan of a batched change: every id its predicate matches, in one scan, in key order (as
-- id-pages returns them).
{{id-pages}}

-- name: plan-ids-found
SELECT t.id FROM {{table}} AS t WHERE {{where}}

-- name: id-pages
-- The ids a plan found ({{found}}: a query of one column, id), in id order, as rows of at most
-- 10,000 ids, each one text value ('{1,2,…}') that the client parses into numbers
-- (src/archive/changes.ts) without the driver's string per id: a bigint[] cost about 96 bytes an
-- id in memory (130 MB for 660k). Pages, not one value: the driver buffers a message whole,
-- doubling its buffer as it grows (20 MB of buffers for 620k ids in one value).
SELECT array_agg(p.id ORDER BY p.id)::text AS ids
FROM (SELECT f.id, (row_number() OVER (ORDER BY f.id) - 1) / 10000 AS page FROM ({{found}}) AS f) AS p
GROUP BY p.page
ORDER BY p.page

-- name: count-where
-- How many rows a change would touch (a preview).
SELECT count(*)::int AS n FROM {{table}} AS t WHERE {{where}}

-- name: sample-where
-- The first rows a change would touch, by id (a preview).
SELECT t.* FROM {{table}} AS t WHERE {{where}} ORDER BY t.id LIMIT :sample

-- name: rows-by-id
-- Planned rows shown by --dry-run: the first of the ids a plan found.
SELECT t.* FROM {{table}} AS t WHERE t.id = ANY(CAST(:ids AS bigint[])) ORDER BY t.id

-- name: by-ids
-- Rows by id (alias t).
t.id = ANY(CAST(:ids AS bigint[]))
