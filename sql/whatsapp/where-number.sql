-- The number itself (deleteArchived / archiveBeforeUpdate alias t).
t.id = :numberId
