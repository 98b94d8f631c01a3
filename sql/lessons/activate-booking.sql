-- The status change that fires migration 0006's update trigger (when present).
UPDATE bookings SET status = :bookingActive, updated_at = now()
WHERE id = CAST(:bookingId AS uuid)
RETURNING *
