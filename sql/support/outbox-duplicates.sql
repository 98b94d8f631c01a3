-- outbox dedupe: the rows to remove from keys (type, booking_id, candidate_tg_id) holding more
-- than one row, NULLs compared as equal (docs/CHECKS.md outbox.duplicates), with the row each key
-- keeps. The kept row: a sent one first (the message went out; keeping a pending or failed copy
-- instead would send it again, the duplicate seed 001 was about), else a pending one (it is still
-- going to be delivered; keeping a failed copy would drop it), else a failed one; within a status
-- the oldest (lowest id), which is also the row the idempotent enqueue treats as the key's.
WITH ranked AS (
    SELECT o.id, o.type, o.booking_id, o.candidate_tg_id, o.status, o.attempts, o.created_at,
           count(*) OVER k AS key_rows,
           row_number() OVER (k ORDER BY CASE lower(o.status) WHEN :sentStatus THEN 0 WHEN :pendingStatus THEN 1 ELSE 2 END, o.id) AS rank,
           first_value(o.id) OVER (k ORDER BY CASE lower(o.status) WHEN :sentStatus THEN 0 WHEN :pendingStatus THEN 1 ELSE 2 END, o.id) AS keep_id
    FROM outbox_notifications AS o
    WINDOW k AS (PARTITION BY o.type, o.booking_id, o.candidate_tg_id)
)
SELECT id, keep_id, type, booking_id, candidate_tg_id, status, attempts, created_at
FROM ranked
WHERE key_rows > 1 AND rank > 1
ORDER BY id
