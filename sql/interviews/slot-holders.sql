-- The active interviews holding a time slot (explains a refusal).
SELECT i.id, i.bot_user_id, i.status, i.created_at, true AS active
FROM interviews AS i
WHERE i.time_slot_id = :slotId
  AND lower(i.status) = ANY(:interviewActive)
ORDER BY i.id
