-- Notification logs, "this candidate was told" (seed 002, P0). Before migration 0004 the table is
-- unique on (type, booking_id) and the candidate is only in the JSON payload; after it, in the
-- candidate_tg_id column too. A log that is not the slot's current candidate's is stale: it would
-- make "already notified" true for the next candidate. The rule is written once, here
-- (stale-logs), and read by the audit check notifications.stale-logs, the repair `notifications
-- clean-stale`, migration 0004's preflight and the approval rule.

-- name: has-candidate-column
-- Whether notification_logs has the candidate column (migration 0004, or a site's own fix).
SELECT EXISTS (
    SELECT 1 FROM pg_attribute AS a
    WHERE a.attrelid = to_regclass('notification_logs')
      AND a.attname = 'candidate_tg_id'
      AND a.attnum > 0
      AND NOT a.attisdropped
) AS present

-- name: candidate-column
-- The log's candidate column, where the table has one (filled into stale-logs' {{candidate-column}}).
t.candidate_tg_id

-- name: no-candidate-column
-- Before migration 0004 no column names the candidate: only the payload does.
CAST(NULL AS bigint)

-- name: stale-logs
-- The rule: every notification log (alias t) that is not its slot's current candidate's, with why.
-- A log is a candidate's only when something on it names them and nothing names anyone else: the
-- candidate column (when the table has one) and the candidate_tg_id of its JSON payload (read with
-- the one pattern :payloadCandidate) both name them or nobody, and at least one names them.
--   freed slot         the slot is free (any letter case) or names no candidate: every log is stale
--   no candidate named neither the column nor the payload names anyone: it cannot be shown to be theirs
--   column and payload disagree  the column was filled by hand from the slot (seed 002's fix plan)
--                      over a log the payload says was someone else's
--   other candidate    it names another candidate
-- :candidateTgId, when given, stands for the slot's candidate (an approval checks the logs of the
-- candidate it approves, who may not hold the slot yet in a preview); then a free slot's logs are
-- judged by whom they name. :slotId and :ids narrow it to one slot, or to rows a plan found.
SELECT t.id AS log_id,
       t.booking_id AS slot_id,
       t.type,
       {{candidate-column}} AS column_candidate,
       -- Computed here only for the rows kept (the stale ones): the reason below reads the
       -- pattern once per log on its own.
       {{payload-candidate}} AS payload_candidate,
       s.candidate_tg_id AS slot_candidate_tg_id,
       lower(s.status) AS slot_status,
       t.created_at,
       {{stale-reason}} AS reason
FROM notification_logs AS t
JOIN slots AS s ON s.id = t.booking_id
-- The four reasons are the only values stale-reason gives, so the list is "a reason is given"
-- (as `stale` writes it); but PostgreSQL estimates a list of values as true of a few logs in a
-- hundred, as it is, where it takes IS NOT NULL as true of nearly all: with that estimate a
-- Gather of the rows looked costly and the audit's count ran in one process (6.3 s against 3.1 s
-- in parallel at a million logs on 15).
WHERE {{stale-reason}} IN ('freed slot', 'no candidate named', 'column and payload disagree', 'other candidate')
  AND {{stale-log-scope}}

-- name: stale-log-scope
-- The logs (t, of slot s) the rule reads: those of :slotId, those of :ids, when given.
(CAST(:slotId AS integer) IS NULL OR t.booking_id = CAST(:slotId AS integer))
  AND (CAST(:ids AS bigint[]) IS NULL OR t.id = ANY(CAST(:ids AS bigint[])))
  -- A page of planned ids reads only the slots between its logs' lowest and highest slot, by the
  -- slots' key: without the range the planner hash-joins a scan of every slot for each page (216
  -- ms a page at a million slots, 57 ms on the key). Redundant with the join, so never wrong.
  AND (CAST(:ids AS bigint[]) IS NULL
       OR s.id BETWEEN (SELECT min(p.booking_id) FROM notification_logs AS p WHERE p.id = ANY(CAST(:ids AS bigint[])))
                   AND (SELECT max(p.booking_id) FROM notification_logs AS p WHERE p.id = ANY(CAST(:ids AS bigint[]))))

-- name: payload-candidate
-- The candidate the log's JSON payload names (digits, as numeric: no overflow), or NULL.
CAST(substring(t.payload FROM :payloadCandidate) AS numeric)

-- name: stale-reason
-- Why the log t of slot s is stale (NULL: it is not), as stale-logs says. The payload's pattern
-- (the costly part: about 9 µs a log) is matched once per log, whichever branch runs: each
-- branch names it once, inside a simple CASE that evaluates its operand once; and with no
-- subquery per log the planner keeps a parallel scan (a LATERAL (… OFFSET 0) matched it once
-- too, but as a nested loop no worker could share: 13 s against the raw query's 5 s at a
-- million logs on PostgreSQL 15).
CASE
    WHEN CAST(:candidateTgId AS bigint) IS NULL AND (lower(s.status) = :slotFree OR s.candidate_tg_id IS NULL) THEN 'freed slot'
    WHEN {{candidate-column}} IS NULL THEN
        CASE {{payload-candidate}} = coalesce(CAST(:candidateTgId AS bigint), s.candidate_tg_id)
            WHEN true THEN NULL
            WHEN false THEN 'other candidate'
            ELSE 'no candidate named'
        END
    ELSE
        CASE {{payload-candidate}} = {{candidate-column}}
            WHEN false THEN 'column and payload disagree'
            ELSE CASE WHEN {{candidate-column}} <> coalesce(CAST(:candidateTgId AS bigint), s.candidate_tg_id) THEN 'other candidate' END
        END
END

-- name: stale-logs-count
SELECT count(*)::int AS count FROM ({{stale-logs}}) AS o

-- name: stale-logs-sample
-- Read through findings/one-pass (src/data/findings.ts): the rule's rows materialized first. A
-- bare ORDER BY … LIMIT over the rule let PostgreSQL 15 pick a fast-start nested loop probing
-- (type, booking_id) by its second column once per slot (110 s at 100k slots, sample of 10).
SELECT o.log_id, o.slot_id, o.type,
       -- payload digits are numeric (no overflow); shown as a number when they fit a bigint
       CASE WHEN abs(coalesce(o.column_candidate, o.payload_candidate)) < 9223372036854775807
            THEN CAST(coalesce(o.column_candidate, o.payload_candidate) AS bigint) END AS log_candidate_tg_id,
       o.column_candidate AS column_candidate_tg_id,
       CASE WHEN abs(o.payload_candidate) < 9223372036854775807 THEN CAST(o.payload_candidate AS bigint) END AS payload_candidate_tg_id,
       o.slot_candidate_tg_id, o.slot_status, o.created_at, o.reason
FROM ({{stale-logs}}) AS o
ORDER BY o.slot_id, o.log_id
LIMIT :sample

-- name: stale
-- The stale logs as a predicate (alias t), for the repair and the approval rule to archive them:
-- the ids of the rule's logs, found by the rule's own blocks, with IS NOT NULL rather than
-- stale-logs' list of reasons: with the few rows that list is estimated at, a page's semi-join
-- became a nested loop probing the page's 5,000 ids once per log (1.6 s a page of clean-stale at
-- 100k, against 24 ms), or a loop over the page's slots probing their logs by the second column
-- of (type, booking_id).
t.id IN (
    SELECT t.id
    FROM notification_logs AS t
    JOIN slots AS s ON s.id = t.booking_id
    WHERE {{stale-reason}} IS NOT NULL
      AND {{stale-log-scope}}
)

-- name: stale-log-ids
-- notifications clean-stale's plan: every stale log, in one scan, in id order; in pages of ids, as
-- archive/plan-ids returns them.
{{archive/id-pages}}

-- name: stale-log-ids-found
SELECT o.log_id AS id FROM ({{stale-logs}}) AS o

-- name: slot-logs
-- Every notification log of the slots released (alias t): a freed slot keeps none. A release of
-- one slot passes one id; slots resolve-duplicates all the slots of a batch. No index of the
-- legacy schema leads by booking_id: on a table without the key slot-logs-by-type reads, this
-- reads the table once per batch.
t.booking_id = ANY(CAST(:slotIds AS bigint[]))

-- name: slot-logs-by-type
-- The same logs, where logs-indexed-by-type finds a key leading (type, booking_id) (the legacy
-- key; 0004's; a site's own): the predicate names every type the table holds too, read by a skip
-- over that key (one probe per type, a loose index scan), so both columns are index conditions
-- and a batch probes the key for each (type, slot) instead of reading every log: 205 ms -> 3 ms
-- for 500 slots at 100k logs on PostgreSQL 15. A log without a type is its own branch (the same
-- key serves `type IS NULL`): NOT NULL in the catalog does not cover an inherited table's rows,
-- nor a NOT NULL added NOT VALID (PostgreSQL 18), and a freed slot keeps no log.
t.booking_id = ANY(CAST(:slotIds AS bigint[]))
AND (t.type = ANY(ARRAY(
        WITH RECURSIVE types AS (
            (SELECT n.type FROM notification_logs AS n ORDER BY n.type LIMIT 1)
            UNION ALL
            SELECT (SELECT n.type FROM notification_logs AS n WHERE n.type > types.type ORDER BY n.type LIMIT 1)
            FROM types
            WHERE types.type IS NOT NULL
        )
        SELECT types.type FROM types WHERE types.type IS NOT NULL))
     OR t.type IS NULL)

-- name: logs-indexed-by-type
-- Whether slot-logs-by-type may read the logs of slots: a valid, non-partial btree on
-- notification_logs whose first two key columns are type and booking_id, with the type's own
-- collation and default operator class (so the skip's `>` and ORDER BY walk the key in its
-- order; a varchar_pattern_ops key would make each step a full scan).
SELECT EXISTS (
    SELECT 1
    FROM pg_index AS i
    JOIN pg_class AS ic ON ic.oid = i.indexrelid
    JOIN pg_am AS am ON am.oid = ic.relam
    JOIN pg_opclass AS opc ON opc.oid = i.indclass[0]
    JOIN pg_attribute AS ty ON ty.attrelid = i.indrelid AND ty.attnum = i.indkey[0]
    JOIN pg_attribute AS b ON b.attrelid = i.indrelid AND b.attnum = i.indkey[1]
    WHERE i.indrelid = to_regclass('notification_logs')
      AND am.amname = 'btree'
      AND i.indisvalid AND i.indisready AND i.indpred IS NULL
      AND i.indnkeyatts >= 2
      AND ty.attname = 'type' AND i.indcollation[0] = ty.attcollation AND opc.opcdefault
      AND b.attname = 'booking_id'
) AS indexed

-- name: insert-log
-- Records that the candidate was notified, after migration 0004: unique on (type, booking_id,
-- candidate_tg_id). The payload keeps the candidate too, for old readers.
INSERT INTO notification_logs (booking_id, type, candidate_tg_id, payload, delivery_status)
VALUES (:slotId, :type, CAST(:candidateTgId AS bigint),
        json_build_object('candidate_tg_id', CAST(:candidateTgId AS bigint))::text, :deliveryStatus)
ON CONFLICT DO NOTHING
RETURNING *

-- name: insert-log-legacy
-- The same before migration 0004: unique on (type, booking_id), the candidate in the payload. The
-- caller archived every stale log first, so a conflict means this candidate's log exists.
INSERT INTO notification_logs (booking_id, type, payload, delivery_status)
VALUES (:slotId, :type, json_build_object('candidate_tg_id', CAST(:candidateTgId AS bigint))::text, :deliveryStatus)
ON CONFLICT DO NOTHING
RETURNING *

-- name: find-log
-- This candidate's log of one type for one slot (after insert-log found it already there).
SELECT * FROM notification_logs AS t
WHERE t.booking_id = :slotId AND t.type = :type
ORDER BY t.id DESC
LIMIT 1
