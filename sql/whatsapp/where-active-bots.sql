-- The active bots of a number (archiveBeforeUpdate alias t).
t.whatsapp_number_id = :numberId AND t.is_active
