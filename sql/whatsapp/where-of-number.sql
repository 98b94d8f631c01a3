-- The bots, conversations or broadcasts of a number (deleteArchived alias t).
t.whatsapp_number_id = :numberId
