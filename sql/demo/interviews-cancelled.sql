-- Seed 000, planted: :count cancelled interviews, each on a slot of its own that holds nothing
-- else (evenings from tomorrow on). Under the legacy UNIQUE (time_slot_id) nobody can book
-- these slots again: "duplicate key value violates unique constraint interviews_time_slot_id_key".
WITH slot AS (
    INSERT INTO time_slots (interviewer_id, start_time, end_time, created_at)
    SELECT 1 + (p - 1) % :interviewers::int, t.start_time, t.start_time + interval '45 minutes',
           localtimestamp - interval '10 days'
    FROM generate_series(1, :count::int) AS p
    CROSS JOIN LATERAL (
        SELECT date_trunc('day', localtimestamp)
               + ((1 + (p - 1) / :interviewers::int) * 24 + 18) * interval '1 hour' AS start_time
    ) AS t
    ORDER BY p
    RETURNING id, interviewer_id
), cancelled AS (
    INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at, cancelled_at)
    SELECT id, interviewer_id, 6100000000 + id, 'cancelled',
           localtimestamp - interval '5 days', localtimestamp - (1 + id % 48) * interval '1 hour'
    FROM slot
    RETURNING time_slot_id, bot_user_id
)
SELECT count(*)::int AS count, min(time_slot_id) AS slot_id, min(bot_user_id) AS user_tg_id
FROM cancelled
