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
