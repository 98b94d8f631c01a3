-- One recruiting slot as support sees it before a release or reassign: status, candidate, and
-- what the booking rules would archive (its notification logs and reminder jobs).
SELECT s.id, s.recruiter_id, r.name AS recruiter, s.start_utc, s.duration_min, s.status,
       s.candidate_tg_id, s.candidate_fio,
       lower(s.status) = ANY(:slotActive) AS active,
       lower(s.status) = :freeStatus AS free,
       (SELECT count(*) FROM notification_logs AS l WHERE l.booking_id = s.id)::int AS logs,
       (SELECT count(*) FROM slot_reminder_jobs AS j WHERE j.slot_id = s.id)::int AS reminder_jobs
FROM slots AS s
JOIN recruiters AS r ON r.id = s.recruiter_id
WHERE s.id = :slotId
