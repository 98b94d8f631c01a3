-- Which (teacher, student) pair needs a chat room, written once: the audit's chats.* checks, the
-- backfill's plan, `chats verify` and `chats metrics` all read these blocks. Migrations 0006 and
-- 0007 carry the same rule in plpgsql (the trigger, the backfill function): the test
-- test/db/chats/room-rule.test.ts holds them equal.

-- name: bookings-needing-a-room
-- Bookings that need their pair's room: the booking is active (:bookingActive, any letter case),
-- neither it nor its lesson is soft-deleted, and the teacher (the lesson's) is not the student
-- (the booking's): a teacher booking themself gets no room.
SELECT b.id AS booking_id, l.teacher_id, b.student_id, b.updated_at AS activated_at, l.end_time AS lesson_end
FROM bookings b
JOIN lessons l ON l.id = b.lesson_id
WHERE lower(b.status) = :bookingActive
  AND b.deleted_at IS NULL
  AND l.deleted_at IS NULL
  AND l.teacher_id <> b.student_id

-- name: missing-rooms
-- chats.missing, the rule: bookings whose pair has no room at all. A pair whose only room is
-- soft-deleted is chats.blocked-by-deleted, not this.
SELECT n.*
FROM ({{bookings-needing-a-room}}) AS n
WHERE NOT EXISTS (SELECT FROM chat_rooms r WHERE r.teacher_id = n.teacher_id AND r.student_id = n.student_id)

-- name: needing-among-bookings
-- bookings-needing-a-room among the given bookings only (:bookingIds): the re-check after a
-- backfill reads only the bookings it planned, by key, instead of every active booking.
SELECT n.* FROM ({{bookings-needing-a-room}}) AS n WHERE n.booking_id = ANY (CAST(:bookingIds AS uuid[]))

-- name: needing-with-deleted-room
-- bookings-needing-a-room narrowed to the pairs that have a soft-deleted room. Redundant with
-- blocked-by-deleted (a pair whose rooms are all soft-deleted has one), so it never changes that
-- rule's result; it lets the rule group only those pairs' bookings instead of every active
-- booking (at 1M on PostgreSQL 15: 1.3 s instead of about 10 s).
SELECT n.* FROM ({{bookings-needing-a-room}}) AS n
WHERE EXISTS (SELECT FROM chat_rooms d WHERE d.teacher_id = n.teacher_id AND d.student_id = n.student_id AND d.deleted_at IS NOT NULL)

-- name: missing-count
SELECT count(DISTINCT (m.teacher_id, m.student_id))::int AS count, count(*)::int AS bookings FROM ({{missing-rooms}}) AS m

-- name: missing-sample
SELECT m.teacher_id, m.student_id, count(*) AS bookings, (array_agg(m.booking_id ORDER BY m.booking_id))[1:3] AS booking_ids
FROM ({{missing-rooms}}) AS m
GROUP BY m.teacher_id, m.student_id
ORDER BY m.teacher_id, m.student_id
LIMIT :sample

-- name: backfill-plan
-- The backfill's plan, in one read-only scan: every booking of missing-rooms, in id order, for
-- the backfill function, and how many pairs they make.
SELECT coalesce(array_agg(m.booking_id::text ORDER BY m.booking_id), '{}') AS booking_ids,
       count(DISTINCT (m.teacher_id, m.student_id))::integer AS pairs
FROM ({{missing-rooms}}) AS m

-- name: backfill-batch
-- One batch of the backfill: migration 0007's set-based function (its name from CHAT_OBJECTS,
-- bound as an identifier) re-checks the given bookings with the trigger's rule and creates their
-- missing rooms (ON CONFLICT DO NOTHING); it returns how many it created.
SELECT {{backfill-function}}(CAST(:bookingIds AS uuid[])) AS created

-- name: blocked-by-deleted
-- chats.blocked-by-deleted, the rule: pairs that need a room and have only soft-deleted ones. A
-- soft-deleted room is neither resurrected nor duplicated (the trigger, the backfill and
-- get-or-create skip a pair that has any room; the legacy UNIQUE (teacher_id, student_id) counts
-- it too): restore it, or delete it if it has no messages (their foreign key blocks that).
WITH pairs AS (
    SELECT n.teacher_id, n.student_id, count(*) AS bookings
    FROM ({{needing-with-deleted-room}}) AS n
    GROUP BY n.teacher_id, n.student_id
)
SELECT p.teacher_id,
       p.student_id,
       p.bookings,
       array_agg(r.id ORDER BY r.deleted_at DESC) AS deleted_room_ids,
       max(r.deleted_at) AS deleted_at
FROM pairs p
JOIN chat_rooms r ON r.teacher_id = p.teacher_id AND r.student_id = p.student_id
WHERE NOT EXISTS (
    SELECT FROM chat_rooms live
    WHERE live.teacher_id = p.teacher_id AND live.student_id = p.student_id AND live.deleted_at IS NULL
)
GROUP BY p.teacher_id, p.student_id, p.bookings

-- name: blocked-by-deleted-count
SELECT count(*)::int AS count FROM ({{blocked-by-deleted}}) AS o

-- name: blocked-by-deleted-sample
SELECT o.* FROM ({{blocked-by-deleted}}) AS o ORDER BY o.teacher_id, o.student_id LIMIT :sample

-- name: duplicate-rooms
-- chats.duplicates, the rule: pairs with more than one room that is not soft-deleted.
SELECT r.teacher_id, r.student_id
FROM chat_rooms r
WHERE r.deleted_at IS NULL
GROUP BY r.teacher_id, r.student_id
HAVING count(*) > 1

-- name: duplicates-count
SELECT count(*)::int AS count FROM ({{duplicate-rooms}}) AS d

-- name: duplicates-sample
WITH shown AS (SELECT d.* FROM ({{duplicate-rooms}}) AS d ORDER BY d.teacher_id, d.student_id LIMIT :sample)
SELECT s.teacher_id, s.student_id, count(*) AS rooms, array_agg(r.id ORDER BY r.created_at, r.id) AS room_ids
FROM shown AS s
JOIN chat_rooms AS r ON r.teacher_id = s.teacher_id AND r.student_id = s.student_id AND r.deleted_at IS NULL
GROUP BY s.teacher_id, s.student_id
ORDER BY s.teacher_id, s.student_id

-- name: self-rooms
-- chats.self-rooms, the rule: rooms (not soft-deleted) whose teacher is also their student: a
-- teacher who booked their own lesson. The trigger and the backfill never create one.
SELECT r.id AS room_id, r.teacher_id, r.student_id, r.created_at
FROM chat_rooms r
WHERE r.teacher_id = r.student_id
  AND r.deleted_at IS NULL

-- name: self-rooms-count
SELECT count(*)::int AS count FROM ({{self-rooms}}) AS o

-- name: self-rooms-sample
SELECT o.* FROM ({{self-rooms}}) AS o ORDER BY o.created_at, o.room_id LIMIT :sample
