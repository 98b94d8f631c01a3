-- Interview bot (seed 000), the healthy base: :slots time slots of :interviewers interviewers,
-- eight a working day (09:00 to 17:00) from three weeks back on, ids 1..:slots. Six slots in
-- ten carry one active interview (confirmed or pending); none is cancelled, because under the
-- legacy UNIQUE (time_slot_id) every cancelled interview blocks its slot (planted separately).
WITH slot AS (
    INSERT INTO time_slots (id, interviewer_id, start_time, end_time, created_at)
    SELECT g, 1 + (g - 1) % :interviewers::int, t.start_time, t.start_time + interval '45 minutes',
           t.start_time - interval '14 days'
    FROM generate_series(1, :slots::int) AS g
    CROSS JOIN LATERAL (SELECT (g - 1) / :interviewers::int AS j) AS p
    CROSS JOIN LATERAL (
        SELECT date_trunc('day', localtimestamp) - interval '21 days'
               + (p.j / 8 * 24 + 9 + p.j % 8) * interval '1 hour' AS start_time
    ) AS t
    RETURNING id, interviewer_id, start_time
)
INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at)
SELECT id, interviewer_id, 6000000000 + id,
       CASE WHEN id % 10 < 8 THEN 'confirmed' ELSE 'pending' END,
       start_time - interval '3 days'
FROM slot
WHERE id % 10 >= 4
