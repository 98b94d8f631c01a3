-- whatsapp preview-delete: the first :sample bots, conversations (with their message counts) and
-- broadcasts (with their recipient counts) of a number, what a delete would take with it.
SELECT
    (SELECT coalesce(json_agg(b ORDER BY b.id), '[]'::json)
     FROM (SELECT id, name, is_active FROM bots WHERE whatsapp_number_id = :numberId ORDER BY id LIMIT :sample) AS b) AS bots,
    (SELECT coalesce(json_agg(c ORDER BY c.id), '[]'::json)
     FROM (SELECT cv.id, cv.contact_phone, cv.status,
                  (SELECT count(*) FROM whatsapp_messages AS m WHERE m.conversation_id = cv.id)::int AS messages
           FROM conversations AS cv WHERE cv.whatsapp_number_id = :numberId ORDER BY cv.id LIMIT :sample) AS c) AS conversations,
    (SELECT coalesce(json_agg(x ORDER BY x.id), '[]'::json)
     FROM (SELECT bc.id, bc.title, bc.status,
                  (SELECT count(*) FROM broadcast_recipients AS r WHERE r.broadcast_id = bc.id)::int AS recipients
           FROM broadcasts AS bc WHERE bc.whatsapp_number_id = :numberId ORDER BY bc.id LIMIT :sample) AS x) AS broadcasts
