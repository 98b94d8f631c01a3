-- Planted: :count pairs of active slots of one recruiter that overlap, [19:00, 20:00) and
-- [19:30, 20:30), held by two different candidates. On even items a canceled slot
-- [19:45, 20:15) overlaps both; it is not active and does not count.
WITH item AS (
    SELECT p, 1 + (p - 1) % :recruiters::int AS recruiter_id, 1 + (p - 1) / :recruiters::int AS day
    FROM generate_series(1, :count::int) AS p
), ins AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT i.recruiter_id,
           date_trunc('day', now()) + (i.day * 24 + 19) * interval '1 hour' + k.offset_min * interval '1 minute',
           k.duration,
           k.status,
           CASE WHEN k.n < 2 THEN 5200000000 + 3 * i.p + k.n END,
           CASE WHEN k.n < 2 THEN 'Наложение ' || i.p || '/' || k.n END,
           CASE WHEN k.n < 2 THEN 'Europe/Moscow' END,
           now() - interval '3 days',
           now() - interval '1 day'
    FROM item i
    CROSS JOIN (VALUES (0, 0, 60, 'booked'), (1, 30, 60, 'PENDING'), (2, 45, 30, 'canceled')) AS k(n, offset_min, duration, status)
    WHERE k.n < 2 OR i.p % 2 = 0
    ORDER BY i.p, k.n
    RETURNING id, status
)
SELECT (count(*) FILTER (WHERE lower(status) <> 'canceled') / 2)::int AS count,
       min(id) AS slot_id
FROM ins
