-- One keyset batch of the chat-room backfill: the migration's set-based function (its name from
-- CHAT_OBJECTS, bound as an identifier) scans the :batchSize bookings after :after (NULL: from
-- the first), inserts the missing rooms with ON CONFLICT DO NOTHING, and says where it stopped.
SELECT last_booking_id::text AS last_booking_id, scanned, created
FROM :backfillFunction:(CAST(:after AS uuid), CAST(:batchSize AS integer))
