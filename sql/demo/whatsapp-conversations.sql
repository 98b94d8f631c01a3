-- WhatsApp bot, the bulk: :conversations conversations spread over the numbers, ids
-- 1..:conversations, with one to five messages each (three on average), in and out in turn.
WITH conversation AS (
    INSERT INTO conversations (id, whatsapp_number_id, contact_phone, status, started_at, last_message_at)
    SELECT g, 1 + (g - 1) % :numbers::int, '+7916' || lpad(((g::bigint * 7919) % 10000000)::text, 7, '0'),
           (ARRAY['open', 'closed', 'closed', 'open', 'closed'])[1 + g % 5],
           t.started_at, t.started_at + (1 + g % 5) * interval '3 minutes'
    FROM generate_series(1, :conversations::int) AS g
    CROSS JOIN LATERAL (
        SELECT date_trunc('minute', localtimestamp) - (g % 90) * interval '1 day' - (g % 600) * interval '1 minute' AS started_at
    ) AS t
    RETURNING id, started_at
)
INSERT INTO whatsapp_messages (conversation_id, direction, body, created_at)
SELECT c.id, CASE WHEN m % 2 = 1 THEN 'in' ELSE 'out' END,
       CASE WHEN m % 2 = 1
            THEN (ARRAY['Здравствуйте, можно записаться?', 'Сколько стоит?', 'Спасибо!', 'Где вы находитесь?'])[1 + (c.id + m) % 4]
            ELSE (ARRAY['Добрый день! Чем помочь?', 'Выберите удобное время', 'Ждём вас!', 'Адрес отправили в профиле'])[1 + (c.id + m) % 4]
       END,
       c.started_at + m * interval '3 minutes'
FROM conversation c
CROSS JOIN LATERAL generate_series(1, 1 + c.id % 5) AS m
