-- The messages of a number's conversations (deleteArchived alias t).
t.conversation_id IN (SELECT c.id FROM conversations AS c WHERE c.whatsapp_number_id = :numberId)
