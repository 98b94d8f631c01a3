-- whatsapp.orphans: rows whose parent is gone: bots, conversations and broadcasts without their
-- number, messages without their conversation, recipients without their broadcast. The legacy
-- foreign keys forbid them; a database without those keys (or with NOT VALID ones) may not.
WITH offending AS (
    SELECT 'bots' AS table_name, x.id::bigint AS id, 'whatsapp_number_id' AS parent_column, x.whatsapp_number_id::bigint AS parent_id
    FROM bots x
    WHERE x.whatsapp_number_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)
    UNION ALL
    SELECT 'conversations', x.id, 'whatsapp_number_id', x.whatsapp_number_id
    FROM conversations x
    WHERE x.whatsapp_number_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)
    UNION ALL
    SELECT 'broadcasts', x.id, 'whatsapp_number_id', x.whatsapp_number_id
    FROM broadcasts x
    WHERE x.whatsapp_number_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)
    UNION ALL
    SELECT 'whatsapp_messages', x.id, 'conversation_id', x.conversation_id
    FROM whatsapp_messages x
    WHERE x.conversation_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM conversations p WHERE p.id = x.conversation_id)
    UNION ALL
    SELECT 'broadcast_recipients', x.id, 'broadcast_id', x.broadcast_id
    FROM broadcast_recipients x
    WHERE x.broadcast_id IS NOT NULL
      AND NOT EXISTS (SELECT FROM broadcasts p WHERE p.id = x.broadcast_id)
)
SELECT count(*) OVER () AS total, o.*
FROM offending o
ORDER BY o.table_name, o.id
LIMIT :sample
