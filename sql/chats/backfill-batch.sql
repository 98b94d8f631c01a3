-- One batch of the chat-room backfill: the migration's set-based function (its name from
-- CHAT_OBJECTS, bound as an identifier) re-checks the given bookings with the trigger's rule and
-- creates their missing rooms (ON CONFLICT DO NOTHING); it returns how many it created.
SELECT :backfillFunction:(CAST(:bookingIds AS uuid[])) AS created
