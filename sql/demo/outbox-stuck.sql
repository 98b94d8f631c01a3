-- Seed 001, planted: :count pending rows nobody will send, enqueued three to seven hours ago.
-- Odd items were locked by a worker ten to thirty minutes after they were enqueued, and the
-- worker died; even items were never locked and have no retry in the future (every fourth had
-- one an hour after it was enqueued, two hours ago or more: overdue for longer than the audit's
-- one hour either way).
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, created_at, locked_at, next_retry_at, correlation_id)
    SELECT s.id, 'reminder_2h', jsonb_build_object('slot_id', s.id), 5600000000 + p, r.tg_chat_id, 'pending',
           CASE WHEN p % 2 = 1 THEN 1 ELSE 0 END,
           now() - (3 + p % 5) * interval '1 hour',
           CASE WHEN p % 2 = 1 THEN now() - (3 + p % 5) * interval '1 hour' + (1 + p % 3) * interval '10 minutes' END,
           CASE WHEN p % 4 = 0 THEN now() - (2 + p % 5) * interval '1 hour' END,
           md5('reminder_2h:' || p)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = 1 + (p - 1) % :slots::int
    JOIN recruiters r ON r.id = s.recruiter_id
    ORDER BY p
    RETURNING id
)
SELECT count(*)::int AS count, min(id) AS outbox_id FROM ins
