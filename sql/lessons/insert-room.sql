-- Get-or-create, the create half (seed 004): inserts the (teacher, student) room unless one
-- exists, soft-deleted or not. NOT EXISTS keeps a soft-deleted room from being duplicated
-- whatever the unique key looks like; ON CONFLICT DO NOTHING settles concurrent creators on the
-- UNIQUE (teacher_id, student_id): the losers wait for the winner to commit and insert nothing.
INSERT INTO chat_rooms (teacher_id, student_id)
SELECT CAST(:teacherId AS uuid), CAST(:studentId AS uuid)
WHERE NOT EXISTS (
    SELECT 1 FROM chat_rooms AS c
    WHERE c.teacher_id = CAST(:teacherId AS uuid) AND c.student_id = CAST(:studentId AS uuid)
)
ON CONFLICT DO NOTHING
RETURNING *
