-- The pending outbox rows of one key (NULL-safe), which an enqueue refreshes: archived first.
t.type = CAST(:type AS varchar)
AND t.booking_id IS NOT DISTINCT FROM CAST(:bookingId AS integer)
AND t.candidate_tg_id IS NOT DISTINCT FROM CAST(:candidateTgId AS bigint)
AND lower(t.status) = CAST(:pendingStatus AS varchar)
