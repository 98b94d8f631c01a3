-- archive restore: an operation's archived rows put back, one statement per run of one table and
-- one change (operation-runs). The rows are read on the server as records of the table's current
-- shape ({{table}}; {{columns}} its writable columns, {{keys}} its primary key, {{keyMatch}} the
-- key compared between t, the live row, and r, the archived one).

-- name: run-rows
-- The archived rows of one run, as records of the table.
SELECT a.id AS bookops_archive_id, a.row_data AS bookops_row_data, r.*
FROM bookops_archive_rows AS a
CROSS JOIN LATERAL jsonb_populate_record(NULL::{{table}}, a.row_data) AS r
WHERE a.operation_id = :operationId AND a.id BETWEEN :firstId AND :lastId

-- name: reinsert-deleted
-- Rows the operation deleted, inserted again as they were.
INSERT INTO {{table}} ({{columns}}) OVERRIDING SYSTEM VALUE
SELECT {{rColumns}} FROM ({{run-rows}}) AS r

-- name: inserted-changed-since
-- A row the operation inserted that was changed since: removing it would lose that change.
-- {{same-image}} compares it with the live row.
SELECT r.bookops_row_data AS row_data
FROM ({{run-rows}}) AS r
WHERE EXISTS (SELECT 1 FROM {{table}} AS t WHERE {{keyMatch}} AND NOT {{same-image}})
LIMIT 1

-- name: same-image
-- Whether the live row t is the archived image ({{image}}, the caller's column holding the jsonb
-- of a row): equal as text, else read back as a row of the table and rendered
-- again by this session, as the live row is (a timestamptz is written in the session's time
-- zone, and the run may have had another than this restore: a role's or database's setting).
-- In that order: an image equal as text is never read back, so a value a constraint added since
-- forbids (NOT VALID) does not stop a restore it would not stop otherwise.
CASE WHEN to_jsonb(t) = {{image}} THEN true
     ELSE to_jsonb(t) = to_jsonb(jsonb_populate_record(NULL::{{table}}, {{image}})) END

-- name: remove-inserted
-- Rows the operation inserted, removed again (those already gone are left so).
DELETE FROM {{table}} AS t USING ({{run-rows}}) AS r WHERE {{keyMatch}}

-- name: set-back-updated
-- Rows the operation changed get their old values back; a row changed twice in one run gets the
-- oldest of its archived versions, as a row-by-row undo would leave it.
UPDATE {{table}} AS t SET ({{columns}}) = ROW({{rColumns}})
FROM (SELECT DISTINCT ON ({{rKeys}}) r.* FROM ({{run-rows}}) AS r ORDER BY {{rKeys}}, r.bookops_archive_id) AS r
WHERE {{keyMatch}}

-- name: updated-changed-since
-- A row the operation updated must still be as the operation left it (after_data, recorded when
-- its transaction ended); only each row's last change in the operation is compared
-- ({{same-image}}).
SELECT last.bookops_after FROM (
    SELECT DISTINCT ON ({{rKeys}}) {{rKeys}}, a.change AS bookops_change, a.after_data AS bookops_after
    FROM bookops_archive_rows AS a
    CROSS JOIN LATERAL jsonb_populate_record(NULL::{{table}}, a.row_data) AS r
    WHERE a.operation_id = :operationId AND a.table_name = :tableName
    ORDER BY {{rKeys}}, a.id DESC
) AS last
WHERE last.bookops_change = 'updated' AND last.bookops_after IS NOT NULL
  AND NOT EXISTS (SELECT FROM {{table}} AS t WHERE {{lastKeyMatch}} AND {{same-image}})
LIMIT 1

-- name: record-after-images
-- The rows an operation updated or inserted, as they are now (an update's after_data, an insert's
-- row_data), recorded when its transaction ends: what a trigger of the site or a later statement
-- of the rule changed after their statement is in them. Their statements recorded them already
-- (archive-and-update, record-inserted): only those changed since are written again, so an
-- archive row is usually written once.
UPDATE bookops_archive_rows AS a
SET after_data = CASE WHEN a.change = 'updated' THEN to_jsonb(t) ELSE a.after_data END,
    row_data = CASE WHEN a.change = 'inserted' THEN to_jsonb(t) ELSE a.row_data END
FROM {{table}} AS t
WHERE a.id = ANY(CAST(:ids AS bigint[]))
  AND {{afterKeyMatch}}
  AND (CASE WHEN a.change = 'inserted' THEN a.row_data ELSE a.after_data END) IS DISTINCT FROM to_jsonb(t)
