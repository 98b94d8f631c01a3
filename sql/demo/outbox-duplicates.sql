-- Seed 001, planted: :count keys (type, booking_id, candidate_tg_id) enqueued twice, every third
-- one three times, all with a NULL candidate: the legacy UNIQUE never compares NULLs as equal.
-- All rows are sent (the recruiter got the message twice), so they are duplicates and nothing
-- else. One key per base slot 1..:count.
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, created_at, correlation_id)
    SELECT s.id, 'slot_rejected', jsonb_build_object('slot_id', s.id, 'reason', 'rejected_by_recruiter'), NULL,
           r.tg_chat_id, 'sent', 1, now() - interval '2 days' + c * interval '1 minute', md5('slot_rejected:' || s.id || ':' || c)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = p
    JOIN recruiters r ON r.id = s.recruiter_id
    CROSS JOIN generate_series(1, 3) AS c
    WHERE c <= 2 OR p % 3 = 0
    ORDER BY p, c
    RETURNING type, booking_id
)
SELECT count(DISTINCT (type, booking_id))::int AS count, count(*)::int AS rows FROM ins
