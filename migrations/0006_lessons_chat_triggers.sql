-- lessons: a chat room for every active booking, created by the database itself.
--
-- Seed 004: when a booking is inserted as active, or its status really changes to active, a
-- trigger creates the (teacher, student) room; never for a teacher booking themself; never a
-- second room (ON CONFLICT DO NOTHING: the legacy UNIQUE (teacher_id, student_id) also keeps a
-- soft-deleted room, which is then left as it is and reported by `bookops audit`). The triggers
-- run AFTER the row is written, so a failed insert creates nothing. A set-based backfill function
-- creates the missing rooms of existing bookings one keyset batch at a time; `bookops chats
-- verify --backfill` drives it. The names come from src/domain/lessons/chat-objects.ts.
-- bookops:requires-tables bookings, lessons, chat_rooms

-- migrate:up
CREATE OR REPLACE FUNCTION :"triggerFunction"() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO chat_rooms (teacher_id, student_id)
    SELECT l.teacher_id, NEW.student_id
    FROM lessons AS l
    WHERE l.id = NEW.lesson_id
      AND l.teacher_id <> NEW.student_id
      AND l.deleted_at IS NULL
      AND NEW.deleted_at IS NULL
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
    AFTER UPDATE OF status ON bookings
    FOR EACH ROW
    WHEN (lower(NEW.status) = :'bookingActive' AND lower(OLD.status) IS DISTINCT FROM lower(NEW.status))
    EXECUTE FUNCTION :"triggerFunction"();

CREATE OR REPLACE FUNCTION :"backfillFunction"(p_after uuid DEFAULT NULL, p_limit integer DEFAULT 1000)
RETURNS TABLE (last_booking_id uuid, scanned integer, created integer)
LANGUAGE plpgsql AS $fn$
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
        SELECT teacher_id, student_id FROM pairs
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
