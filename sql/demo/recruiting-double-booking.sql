-- Seed 002 (P1), planted: :count candidates who confirmed a slot (confirmed_by_candidate) and
-- then booked a second slot of the same recruiter. The legacy index
-- uq_slots_candidate_recruiter_active covers only pending and booked, so it lets the pair in.
-- The two slots sit at 17:00 and 18:00 (the base grid ends at 17:00) on a day of their own.
WITH item AS (
    SELECT p, 1 + (p - 1) % :recruiters::int AS recruiter_id, 1 + (p - 1) / :recruiters::int AS day
    FROM generate_series(1, :count::int) AS p
), ins AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT i.recruiter_id,
           date_trunc('day', now()) + (i.day * 24 + 17 + k.n) * interval '1 hour',
           60,
           CASE WHEN k.n = 0 THEN CASE WHEN i.p % 2 = 0 THEN 'CONFIRMED_BY_CANDIDATE' ELSE 'confirmed_by_candidate' END
                ELSE CASE WHEN i.p % 3 = 0 THEN 'pending' ELSE 'booked' END
           END,
           5100000000 + i.p,
           'Двойная Бронь ' || i.p,
           'Europe/Moscow',
           now() - interval '4 days' + k.n * interval '2 days',
           now() - interval '1 day'
    FROM item i
    CROSS JOIN (VALUES (0), (1)) AS k(n)
    ORDER BY i.p, k.n
    RETURNING recruiter_id, candidate_tg_id
)
SELECT count(DISTINCT (candidate_tg_id, recruiter_id))::int AS count,
       min(candidate_tg_id) AS candidate_tg_id
FROM ins
