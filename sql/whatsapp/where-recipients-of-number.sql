-- The recipients of a number's broadcasts (deleteArchived alias t).
t.broadcast_id IN (SELECT b.id FROM broadcasts AS b WHERE b.whatsapp_number_id = :numberId)
