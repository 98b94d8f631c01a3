-- Facts about the target schema that decide what the seeder can plant and how it counts:
-- cancelled_blocks: a unique constraint or index on interviews (time_slot_id) alone, without
--   a predicate, so that cancelled interviews keep their slot (seed 000);
-- log_candidate_column: notification_logs has the candidate_tg_id column of the fix (seed 002).
SELECT EXISTS (
         SELECT 1
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = to_regclass(format('%I.interviews', current_schema()))
           AND i.indisunique
           AND i.indpred IS NULL
           AND i.indnkeyatts = 1
           AND a.attname = 'time_slot_id'
       ) AS cancelled_blocks,
       EXISTS (
         SELECT 1
         FROM pg_attribute a
         WHERE a.attrelid = to_regclass(format('%I.notification_logs', current_schema()))
           AND a.attname = 'candidate_tg_id'
           AND NOT a.attisdropped
       ) AS log_candidate_column
