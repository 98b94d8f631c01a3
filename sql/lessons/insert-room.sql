-- Get-or-create, the create half (seed 004), run under the pair's advisory lock (lock-pair.sql):
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
