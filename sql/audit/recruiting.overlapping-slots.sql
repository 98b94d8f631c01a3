-- recruiting.overlapping-slots: pairs of active slots of one recruiter whose
-- [start_utc, start_utc + duration_min) intervals overlap. A pair is (a, b) with a before b in
-- (start_utc, id) order and b starting before a ends.
--
-- Counted by a sweep, not a self-join (which goes quadratic per recruiter whatever the indexes):
-- the slots before b number `earlier` (its rank - 1); those among them that do not overlap b are
-- exactly the slots ending at or before b's start (a slot ending by then started before b), so
-- b overlaps `earlier - ended` of them. Ends sort before starts at the same instant: touching
-- slots do not overlap. Only the sample's pairs are then listed by a join.
WITH active AS (
    SELECT s.id,
           s.recruiter_id,
           s.start_utc,
           s.start_utc + make_interval(mins => s.duration_min) AS end_utc,
           lower(s.status) AS status
    FROM slots s
    WHERE lower(s.status) = ANY(:slotActive)
      AND s.duration_min > 0
), ranked AS (
    SELECT a.*, row_number() OVER (PARTITION BY a.recruiter_id ORDER BY a.start_utc, a.id) - 1 AS earlier
    FROM active a
), events AS (
    SELECT recruiter_id, start_utc AS at, 1 AS kind, id, earlier FROM ranked
    UNION ALL
    SELECT recruiter_id, end_utc, 0, id, NULL FROM ranked
), swept AS (
    SELECT e.id, e.recruiter_id, e.kind, e.earlier,
           sum(1 - e.kind) OVER (PARTITION BY e.recruiter_id ORDER BY e.at, e.kind ROWS UNBOUNDED PRECEDING) AS ended
    FROM events e
), overlapping AS (
    SELECT sw.id, sw.recruiter_id, sw.earlier - sw.ended AS pairs
    FROM swept sw
    WHERE sw.kind = 1 AND sw.earlier - sw.ended > 0
), shown AS (
    SELECT o.id FROM overlapping o ORDER BY o.recruiter_id, o.id LIMIT :sample
), offending AS (
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
)
SELECT (SELECT coalesce(sum(o.pairs), 0) FROM overlapping o) AS total, f.*
FROM offending f
ORDER BY f.recruiter_id, f.start_utc, f.slot_id, f.other_slot_id
LIMIT :sample
