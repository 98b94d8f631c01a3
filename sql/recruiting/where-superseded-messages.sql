-- The outbox messages of one candidate about one slot, of the given types, whatever their status:
-- a new decision about the slot supersedes the messages of the opposite one (deleteArchived alias t).
t.booking_id = :slotId
AND t.candidate_tg_id = :candidateTgId
AND t.type = ANY(CAST(:types AS text[]))
