-- Books a time slot unless an active interview (pending, confirmed; any letter case) holds it.
-- Concurrent bookings are settled by the unique key on time_slot_id (legacy full key, or the
-- partial one of migration 0002): the later insert waits for the earlier one and fails with
-- 23505 ("taken") once it commits.
INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status)
SELECT CAST(:slotId AS integer), CAST(:interviewerId AS integer), CAST(:userTgId AS bigint), CAST(:status AS varchar)
WHERE NOT EXISTS (
    SELECT 1 FROM interviews AS i
    WHERE i.time_slot_id = CAST(:slotId AS integer) AND lower(i.status) = ANY(:interviewActive)
)
RETURNING *
