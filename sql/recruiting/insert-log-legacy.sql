-- Records that the candidate was notified, before migration 0004: unique on (type, booking_id),
-- the candidate in the payload. The caller archived every log of another candidate first, so
-- a conflict here means this candidate's log already exists (nothing is inserted).
INSERT INTO notification_logs (booking_id, type, payload, delivery_status)
VALUES (:slotId, :type, json_build_object('candidate_tg_id', CAST(:candidateTgId AS bigint))::text, :deliveryStatus)
ON CONFLICT DO NOTHING
RETURNING *
