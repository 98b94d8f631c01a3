-- Locks a number and the parents of its grandchildren before a delete: FOR UPDATE conflicts with
-- the FOR KEY SHARE lock an insert takes on the row it references, so while this transaction
-- runs nobody adds a bot, conversation, broadcast, message or recipient under the number (on a
-- legacy schema such a late child would make the parent's delete fail).
WITH num AS (
    SELECT n.* FROM whatsapp_numbers AS n WHERE n.id = :numberId FOR UPDATE
),
conv AS (
    SELECT c.id FROM conversations AS c WHERE c.whatsapp_number_id = :numberId FOR UPDATE
),
bc AS (
    SELECT b.id FROM broadcasts AS b WHERE b.whatsapp_number_id = :numberId FOR UPDATE
)
SELECT num.*, (SELECT count(*) FROM conv)::int AS locked_conversations, (SELECT count(*) FROM bc)::int AS locked_broadcasts
FROM num
