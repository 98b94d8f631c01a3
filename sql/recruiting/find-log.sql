-- This candidate's log of one type for one slot (after insert-log found it already there).
SELECT * FROM notification_logs AS t
WHERE t.booking_id = :slotId AND t.type = :type
ORDER BY t.id DESC
LIMIT 1
