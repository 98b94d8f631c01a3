-- Recruiting slots (seeds 001/002): the reservation, the decisions about a slot, double bookings.
-- Active = :slotActive (pending, booked, confirmed_by_candidate), any letter case.

-- name: slot
-- One slot (alias t).
t.id = :slotId

-- name: slots
-- The slots released (alias t).
t.id = ANY(CAST(:slotIds AS bigint[]))

-- name: slots-with-recruiter
-- Several slots with their recruiter's chat id, in id order: what the rejection messages of a
-- batch of slots resolve-duplicates are made of (its plan reads them, its run locks them).
SELECT s.*, r.tg_chat_id AS recruiter_tg_id, lower(s.status) = ANY(:slotActive) AS active
FROM slots AS s
JOIN recruiters AS r ON r.id = s.recruiter_id
WHERE s.id = ANY(CAST(:slotIds AS bigint[]))
ORDER BY s.id

-- name: lock-slots
-- Locks several slots at once, in id order (as lock-slot does one): the slots of a batch of
-- slots resolve-duplicates.
{{slots-with-recruiter}}
FOR NO KEY UPDATE OF s

-- name: lock-slot
-- Locks one slot (with its recruiter's chat id) for a decision about it: approve, reject and
-- confirm all take it first, so they are serialised with each other and with reservations
-- (whose UPDATE needs the same lock). FOR NO KEY UPDATE lets logs and jobs keep referencing it.
SELECT s.*, r.tg_chat_id AS recruiter_tg_id, lower(s.status) = ANY(:slotActive) AS active
FROM slots AS s
JOIN recruiters AS r ON r.id = s.recruiter_id
WHERE s.id = :slotId
FOR NO KEY UPDATE OF s

-- name: slot-state
-- One slot as support sees it before a release or reassign: status, candidate, and what the
-- rules would archive with it (its notification logs, read as the release deletes them:
-- slot-logs over :slotIds, the slot alone; and its reminder jobs).
SELECT s.id, s.recruiter_id, r.name AS recruiter, r.tg_chat_id AS recruiter_tg_id, s.start_utc, s.duration_min, s.status,
       s.candidate_tg_id, s.candidate_fio,
       lower(s.status) = ANY(:slotActive) AS active,
       lower(s.status) = :slotFree AS free,
       (SELECT count(*) FROM notification_logs AS t WHERE {{slot-logs}})::int AS logs,
       (SELECT count(*) FROM slot_reminder_jobs AS j WHERE j.slot_id = s.id)::int AS reminder_jobs
FROM slots AS s
JOIN recruiters AS r ON r.id = s.recruiter_id
WHERE s.id = :slotId

-- name: row
SELECT * FROM slots WHERE id = :slotId

-- name: free
-- Frees a slot (reject, reschedule and cancel all end here): the candidate is cleared, and an
-- active slot becomes free. A slot in another status (canceled by the recruiter) keeps it:
-- releasing a candidate must not reopen a slot nobody offers any more. (Assignments of an
-- UPDATE slots AS t.)
status = CASE WHEN lower(t.status) = ANY(:slotActive) THEN :slotFree ELSE t.status END,
candidate_tg_id = NULL, candidate_fio = NULL, candidate_tz = NULL, updated_at = now()

-- name: set-status
-- A decision's new status (assignments of an UPDATE slots AS t).
status = :status, updated_at = now()

-- name: lock-candidate
-- Reservations by one candidate are serialised on a transaction advisory lock, taken in a
-- statement of its own: the deciding UPDATE (reserve) then starts after the previous holder
-- committed, and its NOT EXISTS sees that reservation (READ COMMITTED, the default). So "one
-- active slot per recruiter" holds for every caller of the rule even on a database that lacks
-- the unique index on (candidate_tg_id, recruiter_id), which stays what stops other writers.
SELECT pg_advisory_xact_lock(
           hashtext('bookops.slots.reserve'),
           hashtext(CAST(CAST(:candidateTgId AS bigint) AS text))
       ) IS NULL AS locked

-- name: reserve
-- One statement decides a reservation (seeds 001/002): the slot must be free (any letter case)
-- and the candidate must hold no active slot of the same recruiter. Concurrent reservations of
-- one slot queue on its row lock; after the winner commits, the others re-check the row, find it
-- no longer free, and update nothing. The unique partial index on (candidate_tg_id,
-- recruiter_id) (legacy: pending/booked; migration 0003: all active) stops other writers.
UPDATE slots AS s
SET status = :slotPending,
    candidate_tg_id = CAST(:candidateTgId AS bigint),
    candidate_fio = coalesce(CAST(:candidateName AS varchar), s.candidate_fio),
    candidate_tz = coalesce(CAST(:candidateTz AS varchar), s.candidate_tz),
    updated_at = now()
WHERE s.id = :slotId
  AND lower(s.status) = :slotFree
  AND NOT EXISTS (
      SELECT 1 FROM slots AS o
      WHERE o.recruiter_id = s.recruiter_id
        AND o.candidate_tg_id = CAST(:candidateTgId AS bigint)
        AND o.id <> s.id
        AND lower(o.status) = ANY(:slotActive)
  )
RETURNING s.*

-- name: explain-reservation
-- Why a reservation updated nothing: the slot as it is now, and an active slot of the same
-- recruiter the candidate already holds. Read after the decision, for the message only.
SELECT s.id, s.status, s.candidate_tg_id, s.recruiter_id,
       lower(s.status) = ANY(:slotActive) AS active,
       ({{other-active-slot}}) AS other_slot_id
FROM slots AS s
WHERE s.id = :slotId

-- name: other-active-slot
-- Another active slot of the recruiter of slot s held by :candidateTgId (one per recruiter).
SELECT o.id FROM slots AS o
WHERE o.recruiter_id = s.recruiter_id
  AND o.candidate_tg_id = CAST(:candidateTgId AS bigint)
  AND o.id <> s.id
  AND lower(o.status) = ANY(:slotActive)
ORDER BY o.id
LIMIT 1

-- name: candidate-other-slot
-- The other active slot of this slot's recruiter the candidate holds: a reassignment to them
-- would be refused by the reservation rule.
SELECT o.id, o.status, o.start_utc
FROM slots AS s
JOIN slots AS o ON o.id = ({{other-active-slot}})
WHERE s.id = :slotId

-- name: double-booked-slots
-- recruiting.double-booking, the rule: every active slot of a (candidate, recruiter) pair holding
-- more than one, ranked by which one the candidate keeps: the most advanced status first
-- (confirmed_by_candidate, then booked, then pending: the candidate's own confirmation outranks
-- the recruiter's approval, which outranks a bare reservation), then the earliest start, then
-- the lowest id. keep_rank 1 is kept (slots resolve-duplicates).
-- The pairs first (double-booked-pairs, a hash aggregate), then only their slots ranked: a window
-- over every active slot sorted them all (the plan's read: 1.15 s against 0.52 s at a million
-- slots on 15).
SELECT d.id, d.recruiter_id, d.candidate_tg_id, d.candidate_fio, d.status, d.start_utc, d.duration_min, d.keep_rank::int
FROM (
    SELECT s.id, s.recruiter_id, s.candidate_tg_id, s.candidate_fio, s.status, s.start_utc, s.duration_min,
           row_number() OVER (PARTITION BY s.candidate_tg_id, s.recruiter_id ORDER BY {{keep-order}}) AS keep_rank
    FROM slots AS s
    JOIN ({{double-booked-pairs}}) AS p ON p.candidate_tg_id = s.candidate_tg_id AND p.recruiter_id = s.recruiter_id
    WHERE lower(s.status) = ANY(:slotActive)
) AS d

-- name: keep-order
-- Which of a pair's active slots (alias s) the candidate keeps: the first in this order.
CASE lower(s.status) WHEN :slotConfirmedByCandidate THEN 0 WHEN :slotBooked THEN 1 ELSE 2 END, s.start_utc, s.id

-- name: double-booked-pairs
-- The (candidate, recruiter) pairs holding more than one active slot (what the unique index of
-- migration 0003 forbids).
SELECT s.candidate_tg_id, s.recruiter_id
FROM slots AS s
WHERE s.candidate_tg_id IS NOT NULL
  AND lower(s.status) = ANY(:slotActive)
GROUP BY s.candidate_tg_id, s.recruiter_id
HAVING count(*) > 1

-- name: double-booking-count
SELECT count(*)::int AS count FROM ({{double-booked-pairs}}) AS p

-- name: double-booking-sample
-- The first pairs, each with its slots (by start) and the slot the candidate keeps.
WITH pairs AS (
    SELECT p.* FROM ({{double-booked-pairs}}) AS p
    ORDER BY p.recruiter_id, p.candidate_tg_id
    LIMIT :sample
), ranked AS (
    -- Only the sampled pairs' slots are ranked (through the candidate's index).
    SELECT s.id, s.candidate_tg_id, s.recruiter_id, s.status, s.start_utc,
           row_number() OVER (PARTITION BY s.candidate_tg_id, s.recruiter_id ORDER BY {{keep-order}}) AS keep_rank
    FROM pairs AS p
    JOIN slots AS s ON s.candidate_tg_id = p.candidate_tg_id AND s.recruiter_id = p.recruiter_id
    WHERE lower(s.status) = ANY(:slotActive)
)
SELECT r.candidate_tg_id, r.recruiter_id,
       count(*) AS active_slots,
       array_agg(r.id ORDER BY r.start_utc, r.id) AS slot_ids,
       array_agg(lower(r.status) ORDER BY r.start_utc, r.id) AS statuses,
       min(r.id) FILTER (WHERE r.keep_rank = 1) AS keep_slot_id
FROM ranked AS r
GROUP BY r.candidate_tg_id, r.recruiter_id
ORDER BY r.recruiter_id, r.candidate_tg_id

-- name: holds-active
-- Re-checked under the slot lock before a double booking is resolved: the slot is still active
-- and still this candidate's.
SELECT lower(s.status) = ANY(:slotActive) AND s.candidate_tg_id = CAST(:candidateTgId AS bigint) AS holds
FROM slots AS s
WHERE s.id = :slotId

-- name: active-spans
-- Active slots of a positive duration, as [start, end) intervals.
SELECT s.id, s.recruiter_id, s.start_utc, s.start_utc + make_interval(mins => s.duration_min) AS end_utc, lower(s.status) AS status
FROM slots s
WHERE lower(s.status) = ANY(:slotActive)
  AND s.duration_min > 0

-- name: overlapping
-- recruiting.overlapping-slots: per active slot b, how many earlier active slots of its recruiter
-- it overlaps. Counted by a sweep, not a self-join (which goes quadratic per recruiter whatever
-- the indexes): the slots before b number `earlier` (its rank - 1); those among them that do not
-- overlap b are exactly the slots ending at or before b's start (a slot ending by then started
-- before b), so b overlaps `earlier - ended` of them. Ends sort before starts at the same
-- instant: touching slots do not overlap.
WITH ranked AS (
    SELECT a.*, row_number() OVER (PARTITION BY a.recruiter_id ORDER BY a.start_utc, a.id) - 1 AS earlier
    FROM ({{active-spans}}) AS a
), events AS (
    SELECT recruiter_id, start_utc AS at, 1 AS kind, id, earlier FROM ranked
    UNION ALL
    SELECT recruiter_id, end_utc, 0, id, NULL FROM ranked
), swept AS (
    SELECT e.id, e.recruiter_id, e.kind, e.earlier,
           sum(1 - e.kind) OVER (PARTITION BY e.recruiter_id ORDER BY e.at, e.kind ROWS UNBOUNDED PRECEDING) AS ended
    FROM events e
)
SELECT sw.id, sw.recruiter_id, sw.earlier - sw.ended AS pairs
FROM swept sw
WHERE sw.kind = 1 AND sw.earlier - sw.ended > 0

-- name: overlapping-slots-count
-- Pairs of overlapping active slots of one recruiter.
SELECT coalesce(sum(o.pairs), 0)::int AS count FROM ({{overlapping}}) AS o

-- name: overlapping-slots-sample
-- The pairs of the first overlapping slots (a before b in (start, id) order, b starting before a ends).
WITH active AS ({{active-spans}}),
shown AS (SELECT o.id FROM ({{overlapping}}) AS o ORDER BY o.recruiter_id, o.id LIMIT :sample)
SELECT a.recruiter_id,
       a.id AS slot_id,
       b.id AS other_slot_id,
       a.start_utc,
       a.end_utc,
       b.start_utc AS other_start_utc,
       b.end_utc AS other_end_utc,
       a.status,
       b.status AS other_status
FROM shown
JOIN active b ON b.id = shown.id
JOIN active a
  ON a.recruiter_id = b.recruiter_id
 AND (a.start_utc < b.start_utc OR (a.start_utc = b.start_utc AND a.id < b.id))
 AND a.end_utc > b.start_utc
ORDER BY a.recruiter_id, a.start_utc, a.id, b.id
LIMIT :sample

-- name: status-counts
-- recruiting.slot-status-counts (info): slots per status, lower-cased, every status present plus
-- the known ones (:slotStatuses) with zero, so confirmed_by_candidate is never left out (seed 002).
WITH counted AS (
    SELECT lower(s.status) AS status, count(*) AS slots
    FROM slots s
    GROUP BY lower(s.status)
), known AS (
    SELECT unnest(CAST(:slotStatuses AS text[])) AS status
)
SELECT status, coalesce(counted.slots, 0) AS slots
FROM counted
FULL JOIN known USING (status)
ORDER BY slots DESC, status
LIMIT 100

-- name: children-of-slots
-- The notification logs and reminder jobs of several slots: what releasing them archives.
SELECT (SELECT count(*) FROM notification_logs AS t WHERE {{slot-logs}})::int AS logs,
       (SELECT count(*) FROM slot_reminder_jobs AS j WHERE j.slot_id = ANY(CAST(:slotIds AS integer[])))::int AS jobs
