-- The interview bot (seed 000): time slots and the interviews booked on them. Active =
-- :interviewActive (pending, confirmed), cancelled = :interviewCancelled, any letter case.

-- name: time-slot-keys
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

-- name: find-time-slot
SELECT ts.id, ts.interviewer_id FROM time_slots AS ts WHERE ts.id = :slotId

-- name: lock-time-slot
-- Only for a database with no unique key on interviews (time_slot_id) at all: then nothing else
-- stops two concurrent bookings, so they are serialised on the slot's row, and the statement
-- that decides (insert-if-free) starts after the previous booking committed and sees it.
-- FOR NO KEY UPDATE does not block inserts of interviews (they take FOR KEY SHARE).
SELECT ts.id, ts.interviewer_id
FROM time_slots AS ts
WHERE ts.id = :slotId
FOR NO KEY UPDATE

-- name: find-interview
SELECT * FROM interviews WHERE id = :interviewId

-- name: cancel
-- Cancels an active interview and keeps the row (history: who cancelled, when). Deciding on the
-- status in the UPDATE makes a second cancel a no-op rather than a second change.
UPDATE interviews
SET status = :interviewCancelled, cancelled_at = now()
WHERE id = :interviewId AND lower(status) = ANY(:interviewActive)
RETURNING *

-- name: insert-if-free
-- Books a time slot unless an active interview (pending, confirmed; any letter case) holds it.
-- Concurrent bookings are settled by the unique key on time_slot_id (legacy full key, or the
-- partial one of migration 0002): the later insert waits for the earlier one and fails with
-- 23505 ("taken") once it commits.
INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status)
SELECT CAST(:slotId AS integer), CAST(:interviewerId AS integer), CAST(:userTgId AS bigint), CAST(:status AS varchar)
WHERE NOT EXISTS (
    SELECT 1 FROM interviews AS i
    WHERE i.time_slot_id = CAST(:slotId AS integer) AND lower(i.status) = ANY(:interviewActive)
)
RETURNING *

-- name: slot-holders
-- The active interviews holding a time slot (explains a refusal).
SELECT i.id, i.bot_user_id, i.status, i.created_at, true AS active
FROM interviews AS i
WHERE i.time_slot_id = :slotId
  AND lower(i.status) = ANY(:interviewActive)
ORDER BY i.id

-- name: time-slot-interviews
-- A time slot and every interview on it (interviews rebook explains what the booking rule will
-- do with them). No row: the slot does not exist.
SELECT ts.id AS time_slot_id, ts.interviewer_id, ts.start_time,
       i.id, i.bot_user_id, i.status, i.created_at, i.cancelled_at,
       coalesce(lower(i.status) = ANY(:interviewActive), false) AS active,
       coalesce(lower(i.status) = :interviewCancelled, false) AS cancelled
FROM time_slots AS ts
LEFT JOIN interviews AS i ON i.time_slot_id = ts.id
WHERE ts.id = :slotId
ORDER BY i.id

-- name: cancelled-of-slot
-- The cancelled interviews of one slot (alias t, as a change's predicate), any letter case.
t.time_slot_id = :slotId AND lower(t.status) = :interviewCancelled

-- name: cutoff
-- The fixed cutoff of --older-than, computed once by the plan so every batch uses the same one
-- (interviews store timestamp without time zone, in the server's local time).
SELECT to_char(localtimestamp - make_interval(secs => CAST(:olderThanMs AS bigint) / 1000.0), 'YYYY-MM-DD HH24:MI:SS.US') AS cutoff

-- name: cancelled-blocking
-- interviews.cancelled-blocking, the rule (alias t): cancelled interviews that block rebooking
-- their time slot. They block only while a unique key without a predicate covers exactly
-- interviews (time_slot_id) (the caller checks the catalog: time-slot-keys); then a slot holds
-- one row at most, so the NOT EXISTS only matters on databases with another key shape.
lower(t.status) = :interviewCancelled
AND t.time_slot_id IS NOT NULL
AND NOT EXISTS (
    SELECT 1 FROM interviews AS act
    WHERE act.time_slot_id = t.time_slot_id
      AND lower(act.status) = ANY(:interviewActive)
)

-- name: cancelled-blocking-rows
-- The rule's rows, for the audit's one pass (src/data/findings.ts): counted and sampled from one
-- read. A sample alone under ORDER BY time_slot_id LIMIT walked the key's index from its start
-- (769 ms at 1M on PostgreSQL 15, against 360 ms for the count).
SELECT t.* FROM interviews AS t WHERE {{cancelled-blocking}}

-- name: cancelled-blocking-count
SELECT count(*)::int AS count FROM ({{cancelled-blocking-rows}}) AS t

-- name: cancelled-blocking-sample
SELECT t.id AS interview_id, t.time_slot_id, t.bot_user_id, t.status, t.cancelled_at, CAST(:blockedBy AS text) AS blocked_by
FROM ({{cancelled-blocking-rows}}) AS t
ORDER BY t.time_slot_id, t.id
LIMIT :sample

-- name: cancelled-blocking-scoped
-- interviews clean-cancelled (alias t): the rule's rows, optionally of one slot, and only those
-- cancelled (or, without cancelled_at, created) before :cutoff.
({{cancelled-blocking}})
AND (CAST(:slotId AS integer) IS NULL OR t.time_slot_id = CAST(:slotId AS integer))
AND (CAST(:cutoff AS timestamp) IS NULL OR coalesce(t.cancelled_at, t.created_at) < CAST(:cutoff AS timestamp))

-- name: duplicate-active
-- interviews.duplicate-active, the rule: time slots holding more than one active interview. The
-- legacy UNIQUE (time_slot_id) and the fixed partial unique index both forbid this, so a row here
-- means the key is missing, INVALID, or was added NOT VALID over old data (migration 0002's
-- preflight refuses while there are any).
SELECT iv.time_slot_id
FROM interviews iv
WHERE iv.time_slot_id IS NOT NULL
  AND lower(iv.status) = ANY(:interviewActive)
GROUP BY iv.time_slot_id
HAVING count(*) > 1

-- name: duplicate-active-count
SELECT count(*)::int AS count FROM ({{duplicate-active}}) AS d

-- name: duplicate-active-sample
WITH shown AS (SELECT d.time_slot_id FROM ({{duplicate-active}}) AS d ORDER BY d.time_slot_id LIMIT :sample)
SELECT s.time_slot_id,
       count(*) AS active_interviews,
       array_agg(iv.id ORDER BY iv.id) AS interview_ids,
       array_agg(lower(iv.status) ORDER BY iv.id) AS statuses
FROM shown AS s
JOIN interviews AS iv ON iv.time_slot_id = s.time_slot_id AND lower(iv.status) = ANY(:interviewActive)
GROUP BY s.time_slot_id
ORDER BY s.time_slot_id
