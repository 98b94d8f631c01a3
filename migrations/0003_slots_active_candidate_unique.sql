-- recruiting: a candidate holds at most one active slot per recruiter, confirmed ones included.
--
-- Seed 002 (P1): uq_slots_candidate_recruiter_active covers only pending and booked, so a
-- candidate whose slot is confirmed_by_candidate can book a second slot of the same recruiter.
-- The new index covers every active status (pending, booked, confirmed_by_candidate) in any
-- letter case; the old one is found by its columns, whatever its name, and dropped after.
-- bookops:requires-tables slots

-- migrate:preflight candidates holding more than one active slot of one recruiter (resolve with: bookops slots resolve-duplicates)
SELECT candidate_tg_id, recruiter_id, count(*) AS active_slots, array_agg(id ORDER BY id) AS slot_ids
FROM slots
WHERE lower(status) IN (:'slotActive') AND candidate_tg_id IS NOT NULL
GROUP BY candidate_tg_id, recruiter_id
HAVING count(*) > 1
ORDER BY candidate_tg_id, recruiter_id;

-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS slots_candidate_recruiter_active_uidx
    ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN (:'slotActive');

-- bookops:each introspect/unique-indexes-on tableName=slots columns=candidate_tg_id,recruiter_id keep=slots_candidate_recruiter_active_uidx
DROP INDEX CONCURRENTLY IF EXISTS :"index_name";

-- bookops:each introspect/unique-constraints-on tableName=slots columns=candidate_tg_id,recruiter_id
ALTER TABLE slots DROP CONSTRAINT IF EXISTS :"constraint_name";

-- migrate:down
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_slots_candidate_recruiter_active
    ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN ('pending', 'booked');

DROP INDEX CONCURRENTLY IF EXISTS slots_candidate_recruiter_active_uidx;
