-- interviews.cancelled-blocking: cancelled interviews that still block rebooking their slot.
-- They only block while a unique index without a predicate covers exactly interviews
-- (time_slot_id): the legacy UNIQUE constraint, whatever its name (found in pg_index). Once the
-- fix migration replaced it by a partial index on active statuses, nothing is reported.
WITH blocking AS (
    SELECT ic.relname AS index_name
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
    WHERE i.indrelid = to_regclass('interviews')
      AND i.indisunique
      AND i.indpred IS NULL
      AND i.indexprs IS NULL
      AND i.indnkeyatts = 1
      AND a.attname = 'time_slot_id'
), offending AS (
    SELECT iv.id AS interview_id,
           iv.time_slot_id,
           iv.bot_user_id,
           iv.status,
           iv.cancelled_at,
           (SELECT string_agg(b.index_name, ', ' ORDER BY b.index_name) FROM blocking b) AS blocked_by
    FROM interviews iv
    WHERE EXISTS (SELECT FROM blocking)
      AND lower(iv.status) = :interviewCancelled
      AND iv.time_slot_id IS NOT NULL
      AND NOT EXISTS (
          SELECT FROM interviews act
          WHERE act.time_slot_id = iv.time_slot_id
            AND lower(act.status) = ANY(:interviewActive)
      )
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.time_slot_id, o.interview_id
LIMIT :sample
