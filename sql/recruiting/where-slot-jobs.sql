-- Every reminder job of one slot (deleteArchived alias t).
t.slot_id = :slotId
