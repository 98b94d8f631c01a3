-- Reservations by one candidate are serialised on a transaction advisory lock, taken in a
-- statement of its own: the deciding UPDATE (reserve-slot) then starts after the previous
-- holder committed, and its NOT EXISTS sees that reservation (READ COMMITTED, the default). So
-- "one active slot per recruiter" holds for every caller of the rule even on a database that
-- lacks the unique index on (candidate_tg_id, recruiter_id), which stays what stops other writers.
SELECT pg_advisory_xact_lock(
           hashtext('bookops.slots.reserve'),
           hashtext(CAST(CAST(:candidateTgId AS bigint) AS text))
       ) IS NULL AS locked
