-- The outbox row of one key, NULLs compared as equal (the oldest one if duplicates exist).
SELECT o.*, false AS created
FROM outbox_notifications AS o
WHERE o.type = :type
  AND o.booking_id IS NOT DISTINCT FROM :bookingId
  AND o.candidate_tg_id IS NOT DISTINCT FROM :candidateTgId
ORDER BY o.id
LIMIT 1
