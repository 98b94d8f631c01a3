-- interviews: one ACTIVE interview per time slot, instead of one interview per slot for ever.
--
-- Seed 000: UNIQUE (time_slot_id) counts cancelled interviews, so a cancelled slot can never be
-- booked again ("interviews_time_slot_id_key ... already exists"). A partial unique index on the
-- active statuses (pending, confirmed; any letter case) keeps the real rule and the history.
-- The old key is found by its column, whatever its name (a constraint or a plain unique index),
-- and dropped only after the new index is built and valid.
-- bookops:requires-tables interviews
-- bookops:earlier-checksum 6257f2ae153072903094120c588b381b80faee923785e3555c94c8f20acca0fe (as released before its preflight became a rule of bookops and introspect/ became catalog/)

-- migrate:preflight time slots holding more than one active interview (resolve with: bookops audit interviews.duplicate-active)
-- bookops:rule interviews.duplicate-active

-- migrate:up transaction:false
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS interviews_time_slot_active_uidx
    ON interviews (time_slot_id)
    WHERE lower(status) IN (:'interviewActive');

-- bookops:each catalog/unique-constraints-on tableName=interviews columns=time_slot_id
ALTER TABLE interviews DROP CONSTRAINT IF EXISTS :"constraint_name";

-- bookops:each catalog/unique-indexes-on tableName=interviews columns=time_slot_id keep=interviews_time_slot_active_uidx
DROP INDEX CONCURRENTLY IF EXISTS :"index_name";

-- migrate:down-preflight time slots with more than one interview row, which the legacy UNIQUE (time_slot_id) would reject (the history kept since the fix; archive or delete it before reverting)
SELECT time_slot_id, count(*) AS interviews, array_agg(id ORDER BY id) AS interview_ids
FROM interviews
WHERE time_slot_id IS NOT NULL
GROUP BY time_slot_id
HAVING count(*) > 1
ORDER BY time_slot_id;

-- migrate:down
-- The legacy key counts cancelled rows again, so this fails (and changes nothing but an INVALID
-- index, dropped by the next attempt) while a slot has more than one interview row: the history
-- kept since the fix has to go first (SELECT time_slot_id FROM interviews GROUP BY 1 HAVING count(*) > 1).
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS interviews_time_slot_id_key ON interviews (time_slot_id);

-- bookops:each catalog/constraint-absent tableName=interviews constraintName=interviews_time_slot_id_key
ALTER TABLE interviews ADD CONSTRAINT :"constraint_name" UNIQUE USING INDEX interviews_time_slot_id_key;

DROP INDEX CONCURRENTLY IF EXISTS interviews_time_slot_active_uidx;
