-- Reminder jobs of a slot (slot_reminder_jobs), scheduled on approve (seed 002: t-2h confirmation
-- request, t-1h reminder).

-- name: reminder-plan
-- The jobs a slot should have for its candidate: one per kind whose time is still in the future.
-- The job id names slot, candidate, kind and start, so it is the same on every approve
-- (idempotent) and different after a new candidate or a new start time. The candidate is the
-- slot's own, or :candidateTgId when given (a preview of a reassignment to them).
SELECT format('slot-%s-cand-%s-%s-at-%s', s.id, c.candidate_tg_id, k.kind, extract(epoch FROM s.start_utc)::bigint) AS job_id,
       k.kind,
       s.start_utc - make_interval(mins => k.lead_min) AS scheduled_at
FROM slots AS s
CROSS JOIN LATERAL (SELECT coalesce(CAST(:candidateTgId AS bigint), s.candidate_tg_id) AS candidate_tg_id) AS c
CROSS JOIN unnest(CAST(:kinds AS text[]), CAST(:leadMinutes AS integer[])) AS k(kind, lead_min)
WHERE s.id = :slotId
  AND c.candidate_tg_id IS NOT NULL
  AND s.start_utc - make_interval(mins => k.lead_min) > now()
ORDER BY scheduled_at

-- name: insert-reminders
-- Schedules reminder jobs idempotently: job_id is UNIQUE, an existing job is kept as it is.
INSERT INTO slot_reminder_jobs (slot_id, kind, job_id, scheduled_at)
SELECT CAST(:slotId AS integer), j.kind, j.job_id, j.scheduled_at
FROM unnest(CAST(:jobIds AS text[]), CAST(:kinds AS text[]), CAST(:scheduledAt AS timestamptz[])) AS j(job_id, kind, scheduled_at)
ON CONFLICT DO NOTHING
RETURNING *

-- name: slot-jobs
-- Every reminder job of the slots released (alias t).
t.slot_id = ANY(CAST(:slotIds AS bigint[]))

-- name: stale-jobs
-- Reminder jobs of one slot other than the ones wanted now (another candidate or start time).
t.slot_id = :slotId AND t.job_id <> ALL(CAST(:keepJobIds AS text[]))
