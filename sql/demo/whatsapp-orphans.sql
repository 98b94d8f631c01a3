-- Attempted: one orphan of each kind (a bot, a conversation and a broadcast whose number does
-- not exist, a message whose conversation does not exist, a recipient whose broadcast does
-- not exist). The legacy foreign keys refuse all of them; only a schema without them would
-- let them in, and then they are what whatsapp.orphans finds.
WITH gone AS (
    SELECT (SELECT coalesce(max(id), 0) FROM whatsapp_numbers) + 1000 AS number_id,
           (SELECT coalesce(max(id), 0) FROM conversations) + 1000 AS conversation_id,
           (SELECT coalesce(max(id), 0) FROM broadcasts) + 1000 AS broadcast_id
), b AS (
    INSERT INTO bots (whatsapp_number_id, name) SELECT number_id, 'Сирота' FROM gone RETURNING id
), c AS (
    INSERT INTO conversations (whatsapp_number_id, contact_phone) SELECT number_id, '+79160000000' FROM gone RETURNING id
), br AS (
    INSERT INTO broadcasts (whatsapp_number_id, title) SELECT number_id, 'Сирота' FROM gone RETURNING id
), m AS (
    INSERT INTO whatsapp_messages (conversation_id, direction, body) SELECT conversation_id, 'in', 'Сирота' FROM gone RETURNING id
), r AS (
    INSERT INTO broadcast_recipients (broadcast_id, phone) SELECT broadcast_id, '+79250000000' FROM gone RETURNING id
)
SELECT ((SELECT count(*) FROM b) + (SELECT count(*) FROM c) + (SELECT count(*) FROM br)
        + (SELECT count(*) FROM m) + (SELECT count(*) FROM r))::int AS count
