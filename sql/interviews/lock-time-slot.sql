-- Only for a database with no unique key on interviews (time_slot_id) at all: then nothing else
-- stops two concurrent bookings, so they are serialised on the slot's row, and the statement
-- that decides (insert-if-free) starts after the previous booking committed and sees it.
-- FOR NO KEY UPDATE does not block inserts of interviews (they take FOR KEY SHARE).
SELECT ts.id, ts.interviewer_id
FROM time_slots AS ts
WHERE ts.id = :slotId
FOR NO KEY UPDATE
