-- outbox requeue (alias t): the named rows that may still go back to pending (re-checked under
-- the row lock: failed, unlocked pending, or pending locked longer ago than :lockedForMs).
t.id = ANY(CAST(:ids AS integer[]))
AND (lower(t.status) = :failedStatus
     OR (lower(t.status) = :pendingStatus
         AND (t.locked_at IS NULL OR t.locked_at < now() - make_interval(secs => :lockedForMs / 1000.0))))
