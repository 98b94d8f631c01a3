-- A time slot and every interview on it (interviews rebook explains what the booking rule will
-- do with them). No row: the slot does not exist.
SELECT ts.id AS time_slot_id, ts.interviewer_id, ts.start_time,
       i.id, i.bot_user_id, i.status, i.created_at, i.cancelled_at,
       coalesce(lower(i.status) = ANY(:interviewActive), false) AS active,
       coalesce(lower(i.status) = :cancelledStatus, false) AS cancelled
FROM time_slots AS ts
LEFT JOIN interviews AS i ON i.time_slot_id = ts.id
WHERE ts.id = :slotId
ORDER BY i.id
