SELECT ts.id, ts.interviewer_id FROM time_slots AS ts WHERE ts.id = :slotId
