-- whatsapp deactivate: how many bots of the number are still active.
SELECT count(*)::int AS n FROM bots WHERE whatsapp_number_id = :numberId AND is_active
