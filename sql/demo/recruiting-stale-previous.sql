-- Seed 002 (P0), planted: :count slots (22:00) now booked by candidate B whose slot_approved log
-- still names the previous candidate A. notification_logs is unique on (type, booking_id), so
-- B's approval is never sent: the bot thinks it already was.
WITH item AS (
    SELECT p, 1 + (p - 1) % :recruiters::int AS recruiter_id, 1 + (p - 1) / :recruiters::int AS day
    FROM generate_series(1, :count::int) AS p
), slot AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, candidate_tg_id, candidate_fio,
                       candidate_tz, created_at, updated_at)
    SELECT recruiter_id, date_trunc('day', now()) + (day * 24 + 22) * interval '1 hour', 60,
           CASE WHEN p % 2 = 0 THEN 'BOOKED' ELSE 'booked' END,
           5400000000 + p, 'Новый Кандидат ' || p, 'Europe/Moscow',
           now() - interval '6 days', now() - interval '1 day'
    FROM item
    ORDER BY p
    RETURNING id, candidate_tg_id
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT id, 'slot_approved',
           jsonb_build_object('candidate_tg_id', candidate_tg_id + 100000000, 'slot_id', id)::text, 'sent',
           now() - interval '3 days'
    FROM slot
    RETURNING booking_id
)
SELECT count(*)::int AS count, min(booking_id) AS slot_id FROM logs
