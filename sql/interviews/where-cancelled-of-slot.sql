-- The cancelled interviews of one slot (deleteArchived alias t), any letter case.
t.time_slot_id = :slotId AND lower(t.status) = :cancelledStatus
