-- Seed 002 (P0), planted: :count freed slots (status free, no candidate, 21:00) that kept the
-- notification logs of the candidate who left: reject_slot() clears the slot, not its logs,
-- and the next approval of the slot is silenced. Two logs per slot.
WITH item AS (
    SELECT p, 1 + (p - 1) % :recruiters::int AS recruiter_id, 1 + (p - 1) / :recruiters::int AS day
    FROM generate_series(1, :count::int) AS p
), slot AS (
    INSERT INTO slots (recruiter_id, start_utc, duration_min, status, created_at, updated_at)
    SELECT recruiter_id, date_trunc('day', now()) + (day * 24 + 21) * interval '1 hour', 60,
           CASE WHEN p % 2 = 0 THEN 'FREE' ELSE 'free' END, now() - interval '6 days', now() - interval '1 day'
    FROM item
    ORDER BY p
    RETURNING id
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT s.id, k.type, jsonb_build_object('candidate_tg_id', 5300000000 + s.id, 'slot_id', s.id)::text, 'sent',
           now() - k.age
    FROM slot s
    CROSS JOIN (VALUES ('slot_approved', interval '3 days'), ('candidate_confirmed', interval '2 days')) AS k(type, age)
    RETURNING booking_id
)
SELECT count(*)::int AS count, min(booking_id) AS slot_id FROM logs
