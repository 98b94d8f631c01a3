-- Only when notification_logs has the fix's candidate_tg_id column: fill it from the JSON
-- payload, which is where the legacy writers kept the candidate.
UPDATE notification_logs
SET candidate_tg_id = (payload::jsonb ->> 'candidate_tg_id')::bigint
WHERE candidate_tg_id IS NULL
  AND payload IS NOT NULL
