-- Locks the parents of a number's grandchildren before a delete, once the number itself is locked
-- (whatsapp/lock-number-row: nobody adds a bot, conversation or broadcast under it any more, so
-- this statement, which starts after that lock, sees and locks all of them). FOR UPDATE
-- conflicts with the FOR KEY SHARE lock an insert takes on the row it references: while the
-- delete runs, nobody adds a message or a recipient either (on a legacy schema such a late child
-- would make the parent's delete fail; with cascading keys it would go unarchived).
WITH conv AS (
    SELECT c.id FROM conversations AS c WHERE c.whatsapp_number_id = :numberId FOR UPDATE
),
bc AS (
    SELECT b.id FROM broadcasts AS b WHERE b.whatsapp_number_id = :numberId FOR UPDATE
)
SELECT (SELECT count(*) FROM conv)::int AS conversations, (SELECT count(*) FROM bc)::int AS broadcasts
