-- What is wrong in the outbox, each rule written once and read by the audit checks (outbox.*),
-- `outbox stats`, the repairs (dedupe, requeue, retry-failed) and migration 0008's preflight.

-- name: duplicate-keys
-- outbox.duplicates, the rule: keys (type, booking_id, candidate_tg_id) with more than one row.
-- GROUP BY compares NULLs as equal, which the legacy UNIQUE constraint does not: rows with a NULL
-- candidate or booking slip past it (seed 001).
SELECT t.type, t.booking_id, t.candidate_tg_id, count(*) AS rows
FROM outbox_notifications AS t
GROUP BY t.type, t.booking_id, t.candidate_tg_id
HAVING count(*) > 1

-- name: duplicates-count
SELECT count(*)::int AS count FROM ({{duplicate-keys}}) AS k

-- name: duplicates-sample
-- The first keys, each with its rows. A key's rows are matched NULLs equal, as equality or both
-- NULL (as enqueue.sql same-key does) rather than IS NOT DISTINCT FROM, which no index serves:
-- each sampled key probes the outbox key's index instead of a hash join reading every row of the
-- outbox (154 ms of the check's 390 ms at a million rows on PostgreSQL 15).
WITH keys AS (
    SELECT k.* FROM ({{duplicate-keys}}) AS k
    ORDER BY k.type, k.booking_id NULLS FIRST, k.candidate_tg_id NULLS FIRST
    LIMIT :sample
)
SELECT k.type, k.booking_id, k.candidate_tg_id, k.rows, r.ids, r.statuses
FROM keys AS k
CROSS JOIN LATERAL (
    SELECT array_agg(o.id ORDER BY o.id) AS ids,
           array_agg(lower(o.status) ORDER BY o.id) AS statuses
    FROM outbox_notifications AS o
    WHERE o.type = k.type
      AND (o.booking_id = k.booking_id OR (o.booking_id IS NULL AND k.booking_id IS NULL))
      AND (o.candidate_tg_id = k.candidate_tg_id OR (o.candidate_tg_id IS NULL AND k.candidate_tg_id IS NULL))
) AS r
ORDER BY k.type, k.booking_id NULLS FIRST, k.candidate_tg_id NULLS FIRST

-- name: duplicate-rows
-- outbox dedupe's plan: the rows to remove from keys holding more than one row, NULLs equal, with
-- the row each key keeps: a sent one first (the message went out; keeping a pending or failed
-- copy instead would send it again, the duplicate seed 001 was about), else a pending one (it is
-- still going to be delivered; keeping a failed copy would drop it), else a failed one; within a
-- status the oldest (lowest id), which is also the row the idempotent enqueue treats as the key's.
WITH ranked AS (
    SELECT o.id, o.type, o.booking_id, o.candidate_tg_id, o.status, o.attempts, o.created_at,
           count(*) OVER k AS key_rows,
           row_number() OVER (k ORDER BY CASE lower(o.status) WHEN :outboxSent THEN 0 WHEN :outboxPending THEN 1 ELSE 2 END, o.id) AS rank,
           first_value(o.id) OVER (k ORDER BY CASE lower(o.status) WHEN :outboxSent THEN 0 WHEN :outboxPending THEN 1 ELSE 2 END, o.id) AS keep_id
    FROM outbox_notifications AS o
    WINDOW k AS (PARTITION BY o.type, o.booking_id, o.candidate_tg_id)
)
SELECT id, keep_id, type, booking_id, candidate_tg_id, status, attempts, created_at
FROM ranked
WHERE key_rows > 1 AND rank > 1
ORDER BY id

-- name: duplicate-of-kept
-- outbox dedupe, one batch (alias t): the planned duplicates, each deleted only while the row its
-- key keeps is still there (so a key never loses its last row, whatever happened meanwhile).
t.id = ANY(CAST(:ids AS integer[]))
AND EXISTS (
    SELECT 1 FROM outbox_notifications AS k
    WHERE k.id = ANY(CAST(:keepIds AS integer[]))
      AND k.id <> t.id
      AND k.type = t.type
      AND k.booking_id IS NOT DISTINCT FROM t.booking_id
      AND k.candidate_tg_id IS NOT DISTINCT FROM t.candidate_tg_id
)

-- name: null-candidate-duplicates
-- Migration 0008's preflight: the keys of the outbox.duplicates rule with no candidate and a
-- booking (messages enqueued more than once for one (type, booking) without a candidate), which
-- its unique index over the rows without a candidate would reject; `outbox dedupe` removes them
-- with every other duplicate. (The filter is on grouping columns: PostgreSQL applies it before
-- grouping.)
SELECT k.type, k.booking_id, k.rows AS messages,
       (SELECT array_agg(o.id ORDER BY o.id)
        FROM outbox_notifications AS o
        WHERE o.type = k.type AND o.booking_id = k.booking_id AND o.candidate_tg_id IS NULL) AS outbox_ids
FROM ({{duplicate-keys}}) AS k
WHERE k.candidate_tg_id IS NULL AND k.booking_id IS NOT NULL

-- name: null-candidate-duplicates-count
SELECT count(*)::int AS count FROM ({{null-candidate-duplicates}}) AS d

-- name: null-candidate-duplicates-sample
SELECT d.* FROM ({{null-candidate-duplicates}}) AS d ORDER BY d.booking_id, d.type LIMIT :sample

-- name: locked-too-long
-- A pending row a worker locked longer ago than :lockedForMs: the worker died holding it (alias t).
t.locked_at IS NOT NULL AND t.locked_at < now() - make_interval(secs => :lockedForMs / 1000.0)

-- name: stuck
-- outbox.stuck, the rule (alias t): pending rows locked too long, or unlocked rows due
-- (next_retry_at, else created_at) longer ago than :pendingForMs (nobody is picking them up; a
-- retry scheduled in the future is not due yet).
lower(t.status) = :outboxPending
AND (({{locked-too-long}})
     OR (t.locked_at IS NULL
         AND coalesce(t.next_retry_at, t.created_at) < now() - make_interval(secs => :pendingForMs / 1000.0)))

-- name: stuck-rows
-- The rule's rows, for the audit's one pass (src/data/findings.ts): counted and sampled from one read.
SELECT t.* FROM outbox_notifications AS t WHERE {{stuck}}

-- name: stuck-count
SELECT count(*)::int AS count FROM ({{stuck-rows}}) AS t

-- name: stuck-sample
SELECT t.id, t.type, t.booking_id, t.candidate_tg_id, t.status, t.attempts, t.created_at, t.locked_at, t.next_retry_at,
       CASE WHEN t.locked_at IS NOT NULL THEN 'locked' ELSE 'pending' END AS stuck_as,
       date_trunc('second', now() - coalesce(t.locked_at, t.next_retry_at, t.created_at))::text AS stuck_for
FROM ({{stuck-rows}}) AS t
ORDER BY coalesce(t.locked_at, t.next_retry_at, t.created_at), t.id
LIMIT :sample

-- name: failed
-- outbox.failed, the rule (alias t): failed rows past their last attempt, i.e. with no retry
-- scheduled in the future.
lower(t.status) = :outboxFailed AND (t.next_retry_at IS NULL OR t.next_retry_at <= now())

-- name: failed-rows
-- The rule's rows, for the audit's one pass (src/data/findings.ts): counted and sampled from one read.
SELECT t.* FROM outbox_notifications AS t WHERE {{failed}}

-- name: failed-count
SELECT count(*)::int AS count FROM ({{failed-rows}}) AS t

-- name: failed-sample
SELECT t.id, t.type, t.booking_id, t.candidate_tg_id, t.attempts, left(t.last_error, 200) AS last_error, t.created_at, t.next_retry_at
FROM ({{failed-rows}}) AS t
ORDER BY t.created_at, t.id
LIMIT :sample

-- name: failed-of-type
-- outbox retry-failed (alias t): the failed rows of outbox.failed, optionally of one type.
({{failed}}) AND (CAST(:type AS text) IS NULL OR t.type = CAST(:type AS text))

-- name: retry-failed-sample-columns
-- What retry-failed's preview shows of a row.
SELECT t.id, t.type, t.booking_id, t.candidate_tg_id, t.status, t.attempts, left(t.last_error, 60) AS last_error, t.created_at, t.next_retry_at
FROM outbox_notifications AS t
WHERE t.id = ANY(CAST(:ids AS bigint[]))
ORDER BY t.id

-- name: requeueable
-- outbox requeue (alias t): rows that may go back to pending, re-checked under the row lock:
-- failed, unlocked pending, or pending locked too long (the worker died holding it). A sent row
-- would be sent twice; a row a worker locked recently is being sent right now.
lower(t.status) = :outboxFailed
OR (lower(t.status) = :outboxPending AND (t.locked_at IS NULL OR ({{locked-too-long}})))

-- name: requeue-named
-- The named rows that may still go back to pending (alias t).
t.id = ANY(CAST(:ids AS integer[])) AND ({{requeueable}})

-- name: requeue-states
-- outbox requeue: the named rows and what each one is now (a row not requeueable is refused).
SELECT t.id, t.type, t.booking_id, t.candidate_tg_id, t.status, t.attempts, t.locked_at, t.next_retry_at,
       left(t.last_error, 120) AS last_error,
       CASE WHEN lower(t.status) = :outboxFailed THEN 'failed'
            WHEN lower(t.status) = :outboxPending AND t.locked_at IS NULL THEN 'pending'
            WHEN lower(t.status) = :outboxPending AND ({{locked-too-long}}) THEN 'stuck'
            WHEN lower(t.status) = :outboxPending THEN 'in-flight'
            ELSE lower(t.status)
       END AS state
FROM outbox_notifications AS t
WHERE t.id = ANY(CAST(:ids AS integer[]))
ORDER BY t.id

-- name: back-to-pending
-- Back to pending for the worker to pick up now (assignments of an UPDATE ... AS t): retry budget
-- reset, lock cleared, due now (so outbox.stuck counts the wait from the requeue, not from the
-- row's creation); last_error stays as history.
status = :outboxPending, attempts = 0, locked_at = NULL, next_retry_at = now()

-- name: by-status-and-type
-- outbox stats: rows per (lower-cased) status and type.
SELECT lower(o.status) AS status, o.type, count(*)::int AS rows
FROM outbox_notifications AS o
GROUP BY 1, 2
ORDER BY 1, 2

-- name: health
-- outbox stats: the counts of the outbox rules above, in one scan of the table (plus the keys),
-- each with the first :sample ids it counts (lowest first): the extra rows dedupe removes, the
-- rows requeue takes, the rows retry-failed takes.
WITH keys AS ({{duplicate-keys}}),
extra AS ({{duplicate-rows}})
SELECT (SELECT count(*) FROM keys)::int AS duplicate_keys,
       (SELECT coalesce(sum(k.rows - 1), 0) FROM keys AS k)::int AS duplicate_rows,
       (SELECT coalesce((array_agg(e.id ORDER BY e.id))[1:CAST(:sample AS int)], '{}') FROM extra AS e) AS duplicate_row_ids,
       count(*) FILTER (WHERE {{stuck}})::int AS stuck,
       coalesce((array_agg(t.id ORDER BY t.id) FILTER (WHERE {{stuck}}))[1:CAST(:sample AS int)], '{}') AS stuck_ids,
       count(*) FILTER (WHERE {{failed}})::int AS failed_without_retry,
       coalesce((array_agg(t.id ORDER BY t.id) FILTER (WHERE {{failed}}))[1:CAST(:sample AS int)], '{}') AS failed_ids
FROM outbox_notifications AS t
