-- Whether notification_logs is keyed by candidate (migration 0004 adds candidate_tg_id).
SELECT EXISTS (
    SELECT 1 FROM pg_attribute AS a
    WHERE a.attrelid = to_regclass('notification_logs')
      AND a.attname = 'candidate_tg_id'
      AND a.attnum > 0
      AND NOT a.attisdropped
) AS has_candidate_column
