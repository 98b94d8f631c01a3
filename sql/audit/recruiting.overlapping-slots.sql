-- recruiting.overlapping-slots: pairs of active slots of one recruiter whose
-- [start_utc, start_utc + duration_min) intervals overlap. Each pair is counted once: `a` is the
-- slot that starts first (ties broken by id), and `b` starts before `a` ends. The join follows
-- ix_slots_recruiter_start (recruiter_id, start_utc) when it exists.
WITH offending AS (
    SELECT a.recruiter_id,
           a.id AS slot_id,
           b.id AS other_slot_id,
           a.start_utc,
           a.start_utc + make_interval(mins => a.duration_min) AS end_utc,
           b.start_utc AS other_start_utc,
           b.start_utc + make_interval(mins => b.duration_min) AS other_end_utc,
           lower(a.status) AS status,
           lower(b.status) AS other_status
    FROM slots a
    JOIN slots b
      ON b.recruiter_id = a.recruiter_id
     AND b.start_utc >= a.start_utc
     AND b.start_utc < a.start_utc + make_interval(mins => a.duration_min)
     AND (b.start_utc > a.start_utc OR b.id > a.id)
    WHERE lower(a.status) = ANY(:slotActive)
      AND lower(b.status) = ANY(:slotActive)
      AND a.duration_min > 0
      AND b.duration_min > 0
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.recruiter_id, o.start_utc, o.slot_id, o.other_slot_id
LIMIT :sample
