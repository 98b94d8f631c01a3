-- The WhatsApp bot's numbers and everything under them (seed 003): what a delete takes, the
-- locks it takes first, and deactivation, the reversible alternative.

-- name: resolve-number
-- The numbers a support user may mean by a reference: its id (when one is given), the phone number
-- exactly, or the same digits written differently (+7 900 123-45-67 = 79001234567).
SELECT n.id, n.phone_number, n.display_name, n.is_active,
       CASE WHEN n.phone_number = :ref THEN 'phone'
            WHEN n.id = CAST(:refId AS integer) THEN 'id'
            ELSE 'digits' END AS matched_by
FROM whatsapp_numbers AS n
WHERE n.phone_number = :ref
   OR n.id = CAST(:refId AS integer)
   OR (CAST(:refDigits AS text) <> '' AND regexp_replace(n.phone_number, '[^0-9]', '', 'g') = :refDigits)
ORDER BY n.id

-- name: lock-number
-- Locks a number. FOR UPDATE conflicts with the FOR KEY SHARE lock an insert takes on the row it
-- references: no bot, conversation or broadcast is added under the number until commit (while
-- it is deactivated, or deleted with everything under it).
SELECT n.* FROM whatsapp_numbers AS n WHERE n.id = :numberId FOR UPDATE

-- name: lock-number-children
-- Locks the parents of a number's grandchildren before a delete, once the number itself is locked
-- (lock-number: nobody adds a bot, conversation or broadcast under it any more, so
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

-- name: deletion-counts
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

-- name: number-rows
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

-- name: active-bots
-- How many bots of the number are still active (whatsapp deactivate).
SELECT count(*)::int AS n FROM bots WHERE whatsapp_number_id = :numberId AND is_active

-- name: other-referrers
-- Foreign keys into the number's tree from tables bookops does not know, with their columns (in
-- key order) so the rows they hold for one number can be counted. A delete archives only the
-- known tables: rows a cascading or nulling key would change are rows no undo could bring back,
-- so the delete refuses while there are any; rows held by a blocking key make it fail.
SELECT con.conname AS constraint_name,
       child.relname AS table_name,
       parent.relname AS references_table,
       CASE con.confdeltype WHEN 'c' THEN 'cascade' WHEN 'n' THEN 'set null' WHEN 'd' THEN 'set default'
                            WHEN 'r' THEN 'restrict' ELSE 'no action' END AS on_delete,
       {{catalog/key-columns}}
FROM pg_constraint AS con
JOIN pg_class AS child ON child.oid = con.conrelid
JOIN pg_class AS parent ON parent.oid = con.confrelid
WHERE con.contype = 'f'
  AND parent.relnamespace = current_schema()::regnamespace
  AND parent.relname = ANY(:treeTables)
  AND NOT (child.relnamespace = current_schema()::regnamespace AND child.relname = ANY(:treeTables))
ORDER BY child.relname, con.conname

-- name: number
-- The number itself (alias t).
t.id = :numberId

-- name: of-number
-- The bots, conversations or broadcasts of a number (alias t).
t.whatsapp_number_id = :numberId

-- name: messages-of-number
-- The messages of a number's conversations (alias t).
t.conversation_id IN (SELECT c.id FROM conversations AS c WHERE c.whatsapp_number_id = :numberId)

-- name: recipients-of-number
-- The recipients of a number's broadcasts (alias t).
t.broadcast_id IN (SELECT b.id FROM broadcasts AS b WHERE b.whatsapp_number_id = :numberId)

-- name: active-number
-- The number, when it is still active (alias t).
t.id = :numberId AND t.is_active

-- name: active-bots-of-number
-- The active bots of a number (alias t).
t.whatsapp_number_id = :numberId AND t.is_active

-- name: deactivate-number
-- Deactivates a number (assignments of an UPDATE whatsapp_numbers AS t).
is_active = false, updated_at = now()

-- name: deactivate-bot
-- Deactivates a bot (assignments of an UPDATE bots AS t).
is_active = false

-- name: orphans
-- whatsapp.orphans, the rule: rows whose parent is gone: bots, conversations and broadcasts
-- without their number, messages without their conversation, recipients without their
-- broadcast. The legacy foreign keys forbid them; a database without those keys (or with NOT
-- VALID ones) may not.
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

-- name: orphans-count
SELECT count(*)::int AS count FROM ({{orphans}}) AS o

-- name: orphans-sample
SELECT o.* FROM ({{orphans}}) AS o ORDER BY o.table_name, o.id LIMIT :sample
