-- Every notification log or reminder job of one slot (deleteArchived alias t).
t.booking_id = :slotId
