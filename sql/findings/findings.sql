-- A rule's findings in one pass (src/data/findings.ts): the rule's rows are materialized once,
-- and its `<rule>-count` and `<rule>-sample` blocks read them instead of running the rule
-- twice. A MATERIALIZED CTE is planned for all its rows, so the sample's ORDER BY … LIMIT
-- cannot push a fast-start plan into the rule (notifications.stale-logs took 110 s that way on
-- PostgreSQL 15). The counts come back as one jsonb value beside the sample's own columns, so
-- their names never collide with a sample column.

-- name: one-pass
WITH bookops_found AS MATERIALIZED ({{findings-rule}})
SELECT to_jsonb(c) AS bookops_counts, s.*
FROM ({{findings-count}}) AS c
LEFT JOIN LATERAL ({{findings-sample}}) AS s ON true

-- name: found
-- The rule's rows, read back from the one pass's CTE (put in place of the rule's include).
SELECT * FROM bookops_found
