-- Records that the candidate was notified, after migration 0004: unique on
-- (type, booking_id, candidate_tg_id). The payload keeps the candidate too, for old readers.
INSERT INTO notification_logs (booking_id, type, candidate_tg_id, payload, delivery_status)
VALUES (:slotId, :type, CAST(:candidateTgId AS bigint),
        json_build_object('candidate_tg_id', CAST(:candidateTgId AS bigint))::text, :deliveryStatus)
ON CONFLICT DO NOTHING
RETURNING *
