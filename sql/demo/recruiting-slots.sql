-- Recruiting bot (seeds 001, 002), the healthy base: :recruiters recruiters and :slots slots,
-- ids 1..:slots, each recruiter's slots on a grid of eight a working day (09:00 to 17:00 UTC
-- around today), so no two of them overlap: intervals are half-open, [start, start + duration),
-- and a 60-minute slot ends exactly where the next one starts. Every candidate holds one slot
-- at most. Statuses in twenty: 6 free, 3 pending, 5 booked, 4 confirmed_by_candidate,
-- 2 canceled; every seventh slot is written in upper case (the writers disagree on case).
WITH recruiter AS (
    INSERT INTO recruiters (id, name, tg_chat_id, active, created_at)
    SELECT r,
           (ARRAY['Анна', 'Ольга', 'Дмитрий', 'Екатерина', 'Сергей', 'Наталья', 'Алексей', 'Юлия'])[1 + r % 8]
             || ' ' || (ARRAY['Ким', 'Шевченко', 'Коваленко', 'Бондаренко', 'Ли', 'Ткаченко', 'Кравец'])[1 + r % 7],
           4000000000 + r, r % 25 <> 0, now() - interval '400 days'
    FROM generate_series(1, :recruiters::int) AS r
)
INSERT INTO slots (id, recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                   candidate_tz, created_at, updated_at)
SELECT g, 1 + (g - 1) % :recruiters::int, t.start_utc, (ARRAY[60, 60, 45, 30])[1 + g % 4],
       CASE WHEN g % 7 = 0 THEN upper(s.status) ELSE s.status END,
       CASE WHEN s.status <> 'free' THEN 5000000000 + g END,
       CASE WHEN s.status <> 'free' THEN
           (ARRAY['Иван', 'Мария', 'Павел', 'Елена', 'Артём', 'Ольга', 'Никита', 'Дарья'])[1 + g % 8]
           || ' ' || (ARRAY['Мельник', 'Кузьменко', 'Лысенко', 'Ким', 'Гончаренко', 'Руденко', 'Савченко'])[1 + g % 7]
       END,
       CASE WHEN s.status <> 'free' THEN
           (ARRAY['Europe/Moscow', 'Asia/Yekaterinburg', 'Europe/Samara', 'Asia/Novosibirsk'])[1 + g % 4]
       END,
       t.start_utc - interval '20 days', t.start_utc - interval '2 days'
FROM generate_series(1, :slots::int) AS g
CROSS JOIN LATERAL (
    SELECT (g - 1) / :recruiters::int AS j,
           (ARRAY['free', 'free', 'free', 'free', 'free', 'free', 'pending', 'pending', 'pending',
                  'booked', 'booked', 'booked', 'booked', 'booked',
                  'confirmed_by_candidate', 'confirmed_by_candidate', 'confirmed_by_candidate',
                  'confirmed_by_candidate', 'canceled', 'canceled'])[1 + g % 20] AS status
) AS s
CROSS JOIN LATERAL (
    SELECT date_trunc('day', now()) - (:slotDays::int / 2 * 24) * interval '1 hour'
           + (s.j / 8 * 24 + 9 + s.j % 8) * interval '1 hour' AS start_utc
) AS t
