-- slots resolve-duplicates: every active slot of a (candidate, recruiter) pair holding more than
-- one (docs/CHECKS.md recruiting.double-booking), ranked by the rule that picks the one to keep:
-- the most advanced status first (confirmed_by_candidate, then booked, then pending: the
-- candidate's own confirmation outranks the recruiter's approval, which outranks a bare
-- reservation), then the earliest start, then the lowest id. rule_rank 1 is kept.
WITH active AS (
    SELECT s.id, s.recruiter_id, s.candidate_tg_id, s.candidate_fio, s.status, s.start_utc, s.duration_min,
           count(*) OVER pair AS pair_slots,
           row_number() OVER (pair ORDER BY CASE lower(s.status) WHEN :confirmedStatus THEN 0
                                                                WHEN :bookedStatus THEN 1
                                                                ELSE 2 END,
                                            s.start_utc, s.id) AS rule_rank
    FROM slots AS s
    WHERE s.candidate_tg_id IS NOT NULL
      AND lower(s.status) = ANY(:slotActive)
    WINDOW pair AS (PARTITION BY s.candidate_tg_id, s.recruiter_id)
)
SELECT id, recruiter_id, candidate_tg_id, candidate_fio, status, start_utc, duration_min, rule_rank::int
FROM active
WHERE pair_slots > 1
ORDER BY recruiter_id, candidate_tg_id, rule_rank
