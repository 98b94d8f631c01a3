INSERT INTO bookops_archive_operations (action, command_line, os_user, summary)
VALUES (:action, :commandLine, :osUser, :summary::jsonb)
RETURNING id, action, command_line, db_user, os_user, created_at
