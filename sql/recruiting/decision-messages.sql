-- The outbox messages a decision would supersede (supersede-messages.ts), for previews: of each
-- (slot, candidate) pair given, the rows of the given types, counted; unsent = pending and not
-- taken by a worker (they will never be sent), in_flight = pending and locked by a worker now
-- (it may be sending them as this runs).
SELECT count(o.id)::int AS messages,
       count(o.id) FILTER (WHERE lower(o.status) = :pendingStatus AND o.locked_at IS NULL)::int AS unsent,
       count(o.id) FILTER (WHERE lower(o.status) = :pendingStatus AND o.locked_at IS NOT NULL)::int AS in_flight
FROM unnest(CAST(:slotIds AS integer[]), CAST(:candidateTgIds AS bigint[])) AS p(slot_id, candidate_tg_id)
JOIN outbox_notifications AS o ON o.booking_id = p.slot_id AND o.candidate_tg_id = p.candidate_tg_id
WHERE o.type = ANY(CAST(:types AS text[]))
