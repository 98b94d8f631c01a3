-- What the recruiting bot wrote for the base slots, all of it healthy: for every booked or
-- confirmed slot a slot_approved notification log whose payload names the slot's current
-- candidate, and the approval message in the outbox (interview_confirmed), already sent; for confirmed slots also
-- candidate_confirmed (log and outbox) and two reminder jobs. Nothing is pending, so nothing
-- becomes stuck as time passes.
WITH approved AS (
    SELECT s.id, s.candidate_tg_id, s.start_utc, lower(s.status) AS status, r.tg_chat_id
    FROM slots s
    JOIN recruiters r ON r.id = s.recruiter_id
    WHERE lower(s.status) IN ('booked', 'confirmed_by_candidate')
), note AS (
    SELECT a.id, a.candidate_tg_id, a.start_utc, a.tg_chat_id, k.type, a.start_utc - k.before AS at
    FROM approved a
    CROSS JOIN (VALUES ('slot_approved', interval '3 days'), ('candidate_confirmed', interval '2 days')) AS k(type, before)
    WHERE k.type = 'slot_approved' OR a.status = 'confirmed_by_candidate'
), logs AS (
    INSERT INTO notification_logs (booking_id, type, payload, delivery_status, created_at)
    SELECT id, type, jsonb_build_object('candidate_tg_id', candidate_tg_id, 'slot_id', id)::text, 'sent', at
    FROM note
), jobs AS (
    INSERT INTO slot_reminder_jobs (slot_id, kind, job_id, scheduled_at, created_at)
    SELECT a.id, k.kind, 'slot-' || a.id || '-' || k.kind, a.start_utc - k.before, a.start_utc - interval '2 days'
    FROM approved a
    CROSS JOIN (VALUES ('remind_2h', interval '2 hours'), ('remind_1h', interval '1 hour')) AS k(kind, before)
    WHERE a.status = 'confirmed_by_candidate'
)
INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, recruiter_tg_id, status,
                                  attempts, created_at, correlation_id)
-- The outbox names the approval message as the rules do (OUTBOX_TYPES in notification-types.ts).
SELECT id, CASE type WHEN 'slot_approved' THEN 'interview_confirmed' ELSE type END,
       jsonb_build_object('slot_id', id, 'start_utc', start_utc), candidate_tg_id, tg_chat_id, 'sent',
       1, at, md5(type || ':' || id)
FROM note
