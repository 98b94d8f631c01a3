-- Seed 000, attempted: a second active interview on :count slots that already hold a confirmed
-- one. The legacy UNIQUE (time_slot_id) refuses it, and so does the fix's partial unique index;
-- only a schema without either would let it in.
WITH dup AS (
    INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status, created_at)
    SELECT i.time_slot_id, i.interviewer_id, 6200000000 + i.time_slot_id, 'pending', localtimestamp - interval '1 hour'
    FROM (
        SELECT time_slot_id, interviewer_id
        FROM interviews
        WHERE status = 'confirmed'
        ORDER BY time_slot_id
        LIMIT :count::int
    ) AS i
    RETURNING time_slot_id
)
SELECT count(DISTINCT time_slot_id)::int AS count FROM dup
