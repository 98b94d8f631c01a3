-- The outbox messages of a decision about a slot. A new decision supersedes the candidate's
-- earlier messages about the slot (src/domain/recruiting/supersede-messages.ts).

-- name: superseded-messages
-- The outbox messages of each candidate about their slot, of the given types, whatever their
-- status (alias t): the pairs (:slotIds[i], :candidateTgIds[i]), one for a single decision, a
-- batch's for slots resolve-duplicates.
(t.booking_id, t.candidate_tg_id) IN (SELECT * FROM unnest(CAST(:slotIds AS bigint[]), CAST(:candidateTgIds AS bigint[])))
AND t.type = ANY(CAST(:types AS text[]))

-- name: decision-messages
-- What decisions on several (slot, candidate) pairs would supersede, counted for a preview:
-- unsent = pending and not taken by a worker (they will never be sent), in_flight = pending and
-- locked by a worker now (it may be sending them as this runs).
SELECT count(o.id)::int AS messages,
       count(o.id) FILTER (WHERE lower(o.status) = :outboxPending AND o.locked_at IS NULL)::int AS unsent,
       count(o.id) FILTER (WHERE lower(o.status) = :outboxPending AND o.locked_at IS NOT NULL)::int AS in_flight
FROM unnest(CAST(:slotIds AS integer[]), CAST(:candidateTgIds AS bigint[])) AS p(slot_id, candidate_tg_id)
JOIN outbox_notifications AS o ON o.booking_id = p.slot_id AND o.candidate_tg_id = p.candidate_tg_id
WHERE o.type = ANY(CAST(:types AS text[]))
