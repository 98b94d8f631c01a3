-- Progress of a backfill: all bookings, and those at or before the checkpoint (:after, NULL at the start).
SELECT count(*) AS total,
       count(*) FILTER (WHERE b.id <= CAST(:after AS uuid)) AS done
FROM bookings b
