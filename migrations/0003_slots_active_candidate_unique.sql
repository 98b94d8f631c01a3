-- recruiting: a candidate holds at most one active slot per recruiter, confirmed ones included.
--
-- Seed 002 (P1): uq_slots_candidate_recruiter_active covers only pending and booked, so a
-- candidate whose slot is confirmed_by_candidate can book a second slot of the same recruiter.
-- The new index covers every active status (pending, booked, confirmed_by_candidate) in any
-- letter case; the old one is found by its columns, whatever its name, and dropped after.
-- bookops:requires-tables slots
-- bookops:earlier-checksum c92135b967d0652b5ab1625ca69b1e8586e177b230abd62a6197bfbb107ee2dd (as released before its preflight became a rule of bookops and introspect/ became catalog/)

-- migrate:preflight candidates holding more than one active slot of one recruiter (resolve with: bookops slots resolve-duplicates)
-- bookops:rule recruiting.double-booking

-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS slots_candidate_recruiter_active_uidx
    ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN (:'slotActive');

-- bookops:each catalog/unique-indexes-on tableName=slots columns=candidate_tg_id,recruiter_id keep=slots_candidate_recruiter_active_uidx
DROP INDEX CONCURRENTLY IF EXISTS :"index_name";

-- bookops:each catalog/unique-constraints-on tableName=slots columns=candidate_tg_id,recruiter_id
ALTER TABLE slots DROP CONSTRAINT IF EXISTS :"constraint_name";

-- migrate:down
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_slots_candidate_recruiter_active
    ON slots (candidate_tg_id, recruiter_id)
    WHERE lower(status) IN ('pending', 'booked');

DROP INDEX CONCURRENTLY IF EXISTS slots_candidate_recruiter_active_uidx;
