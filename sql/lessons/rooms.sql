-- Chat rooms of (teacher, student) pairs: the lazy get-or-create (seed 004's GetOrCreateRoom).

-- name: lock-pair
-- Serialises the creators of one (teacher, student) room: a transaction advisory lock keyed by
-- the pair, the same key the chat trigger function of migration 0006 takes (CHAT_ROOM_PAIR_LOCK
-- in src/platform/chat-objects.ts; the uuids in their canonical text). Taken in a statement
-- of its own, so the statements after it see a room its previous holder committed. Also reports
-- the isolation level: a REPEATABLE READ snapshot taken before the wait would still miss it.
SELECT pg_advisory_xact_lock(
           hashtext(CAST(:lockName AS text)),
           hashtext(CAST(CAST(:teacherId AS uuid) AS text) || '|' || CAST(CAST(:studentId AS uuid) AS text))
       ) IS NULL AS locked,
       current_setting('transaction_isolation') AS isolation

-- name: insert-room
-- Get-or-create, the create half (seed 004), run under the pair's advisory lock (lock-pair):
-- inserts the (teacher, student) room unless one exists, soft-deleted or not. NOT EXISTS, in a
-- statement that starts after the lock's previous holder committed, finds its room whatever the
-- unique key looks like (or without one); ON CONFLICT DO NOTHING also settles a writer that does
-- not take the lock (the application) on the UNIQUE (teacher_id, student_id), where it exists.
INSERT INTO chat_rooms (teacher_id, student_id)
SELECT CAST(:teacherId AS uuid), CAST(:studentId AS uuid)
WHERE NOT EXISTS (
    SELECT 1 FROM chat_rooms AS c
    WHERE c.teacher_id = CAST(:teacherId AS uuid) AND c.student_id = CAST(:studentId AS uuid)
)
ON CONFLICT DO NOTHING
RETURNING *

-- name: find-room
-- Get-or-create, the get half: the pair's room (a live one before a soft-deleted one), and
-- whether the caller's transaction wrote it (then the chat trigger of migration 0006 created it
-- there; xmin compared to the low 32 bits of the current transaction id, when one is assigned).
SELECT c.*,
       coalesce(c.xmin = CAST(CAST(CAST(pg_current_xact_id_if_assigned() AS text) AS bigint) % 4294967296 AS text)::xid, false)
           AS written_by_this_transaction
FROM chat_rooms AS c
WHERE c.teacher_id = CAST(:teacherId AS uuid) AND c.student_id = CAST(:studentId AS uuid)
ORDER BY (c.deleted_at IS NULL) DESC, c.created_at, c.id
LIMIT 1
