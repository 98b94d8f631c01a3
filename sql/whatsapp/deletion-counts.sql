-- What deleting a number takes with it (seed 003's warning, with numbers).
SELECT
    (SELECT count(*) FROM bots WHERE whatsapp_number_id = :numberId)::int AS bots,
    (SELECT count(*) FROM conversations WHERE whatsapp_number_id = :numberId)::int AS conversations,
    (SELECT count(*) FROM whatsapp_messages AS m
       JOIN conversations AS c ON c.id = m.conversation_id
      WHERE c.whatsapp_number_id = :numberId)::int AS messages,
    (SELECT count(*) FROM broadcasts WHERE whatsapp_number_id = :numberId)::int AS broadcasts,
    (SELECT count(*) FROM broadcast_recipients AS r
       JOIN broadcasts AS b ON b.id = r.broadcast_id
      WHERE b.whatsapp_number_id = :numberId)::int AS recipients
