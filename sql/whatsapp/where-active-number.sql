-- The number, when it is still active (archiveBeforeUpdate alias t).
t.id = :numberId AND t.is_active
