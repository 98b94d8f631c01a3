-- lessons: a chat room for every active booking, created by the database itself.
--
-- Seed 004: when a booking is inserted as active, or an update makes it need a room it did not
-- need before (its status really changes to active, it is undeleted while active, or it moves to
-- another lesson or student), a trigger creates the (teacher, student) room; never for a teacher
-- booking themself, nor for a soft-deleted booking or lesson; never a second room: a room of the
-- pair, soft-deleted or not, is left as it is (NOT EXISTS; a pair whose only room is soft-deleted
-- is reported by `bookops audit`). A creator takes the pair's transaction advisory lock (the one
-- getOrCreateRoom takes, CHAT_ROOM_PAIR_LOCK) before it looks again and inserts, so concurrent
-- activations of one pair make one room even where the UNIQUE (teacher_id, student_id) is
-- missing; ON CONFLICT DO NOTHING also settles writers that do not take the lock, on that key.
-- The lock is only taken when the room is missing. The triggers run AFTER the row is written, so
-- a failed insert creates nothing. The functions' search_path is pinned to the schema this
-- migration runs in (then pg_temp), so an application session with another search_path cannot
-- make them write elsewhere or fail. A set-based backfill function creates the missing rooms of
-- existing bookings one keyset batch at a time (0007 replaces it). The names come from
-- src/domain/lessons/chat-objects.ts.
-- bookops:requires-tables bookings, lessons, chat_rooms
-- bookops:earlier-checksum 8470a5935277362771c1de54377b571096eeecf704bbe247c6ca98b546f6ba00 (as released before its preflight became a rule of bookops and introspect/ became catalog/)
-- bookops:earlier-checksum 88f5329e5d99c151e9fe6177ad980ae7e1256427d8e2c1bd413b61264f0f7fff (as released before it dropped the site's own room-making triggers)

-- migrate:up
-- A trigger of the site on bookings that makes rooms too (seed 004's BEFORE triggers built by hand
-- under other names, or one calling our function's name, which would run this AFTER body as a
-- BEFORE trigger): dropped before ours are made, its definition recorded by bookops, and put back
-- by the down. Seed 004's triggers under our own names are replaced by the CREATE OR REPLACE below.
-- bookops:each catalog/chat-site-triggers ours=:"insertTrigger",:"updateTrigger" triggerFunction=:"triggerFunction"
DROP TRIGGER IF EXISTS :"trigger_name" ON :"table_name";

-- bookops:each catalog/current-schema
CREATE OR REPLACE FUNCTION :"triggerFunction"() RETURNS trigger
LANGUAGE plpgsql
SET search_path = :"schema", pg_temp
AS $fn$
DECLARE
    v_teacher uuid;
BEGIN
    SELECT l.teacher_id INTO v_teacher
    FROM lessons AS l
    WHERE l.id = NEW.lesson_id
      AND l.deleted_at IS NULL;
    IF v_teacher IS NULL OR v_teacher = NEW.student_id OR NEW.deleted_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT FROM chat_rooms AS r WHERE r.teacher_id = v_teacher AND r.student_id = NEW.student_id) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext(:'chatRoomPairLock'), hashtext(v_teacher::text || '|' || NEW.student_id::text));
    INSERT INTO chat_rooms (teacher_id, student_id)
    SELECT v_teacher, NEW.student_id
    WHERE NOT EXISTS (SELECT FROM chat_rooms AS r WHERE r.teacher_id = v_teacher AND r.student_id = NEW.student_id)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$fn$;

CREATE OR REPLACE TRIGGER :"insertTrigger"
    AFTER INSERT ON bookings
    FOR EACH ROW
    WHEN (lower(NEW.status) = :'bookingActive')
    EXECUTE FUNCTION :"triggerFunction"();

CREATE OR REPLACE TRIGGER :"updateTrigger"
    AFTER UPDATE OF status, deleted_at, lesson_id, student_id ON bookings
    FOR EACH ROW
    WHEN (lower(NEW.status) = :'bookingActive' AND NEW.deleted_at IS NULL
          AND (lower(OLD.status) IS DISTINCT FROM lower(NEW.status) OR OLD.deleted_at IS NOT NULL
               OR OLD.lesson_id <> NEW.lesson_id OR OLD.student_id <> NEW.student_id))
    EXECUTE FUNCTION :"triggerFunction"();

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

-- migrate:down
DROP TRIGGER IF EXISTS :"updateTrigger" ON bookings;
DROP TRIGGER IF EXISTS :"insertTrigger" ON bookings;
DROP FUNCTION IF EXISTS :"triggerFunction"();
DROP FUNCTION IF EXISTS :"backfillFunction"(uuid, integer);
