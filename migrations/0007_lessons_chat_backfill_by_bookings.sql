-- lessons: the backfill function creates the rooms of the bookings it is given, instead of
-- walking every booking in id order.
--
-- 0006's backfill function took a keyset window (the bookings after one id): to find a few
-- thousand missing rooms among a million bookings, `chats verify --backfill` called it a few
-- hundred times, each reading its window by random index lookups. Now the backfill finds the
-- bookings whose (teacher, student) pair has no room in one read-only scan, and hands this
-- function one batch of them per short transaction. The function re-checks every booking with
-- the trigger's rule (active, nothing soft-deleted, not a teacher with themself), so a booking
-- that changed since the scan gets no room; a pair that has a room, soft-deleted or not, gets
-- none (NOT EXISTS: a batch run twice creates nothing twice, with or without the unique key), and
-- ON CONFLICT DO NOTHING settles a concurrent writer on UNIQUE (teacher_id, student_id), which
-- `chats verify --backfill` requires. Its search_path is pinned like 0006's. From psql:
--   SELECT create_chats_for_active_bookings(ARRAY(SELECT id FROM bookings WHERE ...));
-- bookops:requires-tables bookings, lessons, chat_rooms
-- bookops:earlier-checksum 2d689a0ca26347fa370bac1e8dee479d1bcab42557ad3d1af4cb6e4e53f92c35 (as released before its preflight became a rule of bookops and introspect/ became catalog/)

-- migrate:up
DROP FUNCTION IF EXISTS :"backfillFunction"(uuid, integer);

-- bookops:each catalog/current-schema
CREATE OR REPLACE FUNCTION :"backfillFunction"(p_booking_ids uuid[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = :"schema", pg_temp
AS $fn$
DECLARE
    created integer;
BEGIN
    INSERT INTO chat_rooms (teacher_id, student_id)
    SELECT DISTINCT l.teacher_id, b.student_id
    FROM bookings AS b
    JOIN lessons AS l ON l.id = b.lesson_id
    WHERE b.id = ANY (p_booking_ids)
      AND lower(b.status) = :'bookingActive'
      AND b.deleted_at IS NULL
      AND l.deleted_at IS NULL
      AND l.teacher_id <> b.student_id
      AND NOT EXISTS (SELECT FROM chat_rooms AS r WHERE r.teacher_id = l.teacher_id AND r.student_id = b.student_id)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS created = ROW_COUNT;
    RETURN created;
END
$fn$;

-- migrate:down
-- Back to 0006's keyset function.
DROP FUNCTION IF EXISTS :"backfillFunction"(uuid[]);

-- bookops:each catalog/current-schema
CREATE OR REPLACE FUNCTION :"backfillFunction"(p_after uuid DEFAULT NULL, p_limit integer DEFAULT 1000)
RETURNS TABLE (last_booking_id uuid, scanned integer, created integer)
LANGUAGE plpgsql
SET search_path = :"schema", pg_temp
AS $fn$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH batch AS (
        SELECT b.id, b.lesson_id, b.student_id, b.status, b.deleted_at
        FROM bookings AS b
        WHERE p_after IS NULL OR b.id > p_after
        ORDER BY b.id
        LIMIT p_limit
    ),
    pairs AS (
        SELECT DISTINCT l.teacher_id, bt.student_id
        FROM batch AS bt
        JOIN lessons AS l ON l.id = bt.lesson_id
        WHERE lower(bt.status) = :'bookingActive'
          AND bt.deleted_at IS NULL
          AND l.deleted_at IS NULL
          AND l.teacher_id <> bt.student_id
    ),
    inserted AS (
        INSERT INTO chat_rooms (teacher_id, student_id)
        SELECT p.teacher_id, p.student_id FROM pairs AS p
        WHERE NOT EXISTS (SELECT FROM chat_rooms AS r WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id)
        ON CONFLICT DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1),
           (SELECT count(*)::integer FROM batch),
           (SELECT count(*)::integer FROM inserted);
END
$fn$;
