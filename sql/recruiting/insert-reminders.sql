-- Schedules reminder jobs idempotently: job_id is UNIQUE, an existing job is kept as it is.
INSERT INTO slot_reminder_jobs (slot_id, kind, job_id, scheduled_at)
SELECT CAST(:slotId AS integer), j.kind, j.job_id, j.scheduled_at
FROM unnest(CAST(:jobIds AS text[]), CAST(:kinds AS text[]), CAST(:scheduledAt AS timestamptz[])) AS j(job_id, kind, scheduled_at)
ON CONFLICT DO NOTHING
RETURNING *
