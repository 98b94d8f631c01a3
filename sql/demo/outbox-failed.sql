-- Seed 001, planted: :count failed rows that will not be retried (no retry time, or one that
-- already passed), with the error Telegram gave.
WITH ins AS (
    INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                      attempts, last_error, created_at, next_retry_at, correlation_id)
    SELECT s.id, 'reminder_1h', jsonb_build_object('slot_id', s.id), 5700000000 + p, r.tg_chat_id, 'failed', 5,
           (ARRAY['Forbidden: bot was blocked by the user', 'Bad Request: chat not found',
                  'Too Many Requests: retry after 30'])[1 + p % 3],
           now() - (1 + p % 20) * interval '1 day',
           CASE WHEN p % 3 = 0 THEN now() - interval '1 hour' END,
           md5('reminder_1h:' || p)
    FROM generate_series(1, :count::int) AS p
    JOIN slots s ON s.id = 1 + (p - 1) % :slots::int
    JOIN recruiters r ON r.id = s.recruiter_id
    ORDER BY p
    RETURNING id
)
SELECT count(*)::int AS count FROM ins
