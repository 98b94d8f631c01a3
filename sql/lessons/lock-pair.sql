-- Serialises the creators of one (teacher, student) room: a transaction advisory lock keyed by
-- the pair, the same key the chat trigger function of migration 0006 takes (CHAT_ROOM_PAIR_LOCK
-- in src/domain/lessons/chat-objects.ts; the uuids in their canonical text). Taken in a statement
-- of its own, so the statements after it see a room its previous holder committed. Also reports
-- the isolation level: a REPEATABLE READ snapshot taken before the wait would still miss it.
SELECT pg_advisory_xact_lock(
           hashtext(CAST(:lockName AS text)),
           hashtext(CAST(CAST(:teacherId AS uuid) AS text) || '|' || CAST(CAST(:studentId AS uuid) AS text))
       ) IS NULL AS locked,
       current_setting('transaction_isolation') AS isolation
