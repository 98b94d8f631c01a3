-- Locks one slot (with its recruiter's chat id) for a decision about it: approve, reject and
-- confirm all take it first, so they are serialised with each other and with reservations
-- (whose UPDATE needs the same lock). FOR NO KEY UPDATE lets logs and jobs keep referencing it.
SELECT s.*, r.tg_chat_id AS recruiter_tg_id, lower(s.status) = ANY(:slotActive) AS active
FROM slots AS s
JOIN recruiters AS r ON r.id = s.recruiter_id
WHERE s.id = :slotId
FOR NO KEY UPDATE OF s
