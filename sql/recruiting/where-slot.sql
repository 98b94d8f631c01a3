-- One slot (archiveBeforeUpdate alias t).
t.id = :slotId
