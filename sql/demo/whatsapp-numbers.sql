-- WhatsApp bot (seed 003), the healthy base around the numbers: :numbers numbers (every tenth
-- deactivated, the alternative to deleting), one or two bots each, :broadcasts broadcasts
-- spread over the numbers with :recipients recipients each. Number 1 has all of these.
WITH number AS (
    INSERT INTO whatsapp_numbers (id, phone_number, display_name, is_active, created_at, updated_at)
    SELECT w, '+7900' || lpad(w::text, 7, '0'),
           (ARRAY['Поддержка', 'Продажи', 'Запись', 'Доставка', 'Клиника'])[1 + w % 5] || ' ' || w,
           w % 10 <> 0, localtimestamp - interval '300 days', localtimestamp - (w % 30) * interval '1 day'
    FROM generate_series(1, :numbers::int) AS w
    RETURNING id, phone_number
), bot AS (
    INSERT INTO bots (whatsapp_number_id, name, scenario, is_active, created_at)
    SELECT w, k.name || ' #' || w, jsonb_build_object('steps', k.steps, 'version', 1 + w % 4), w % 10 <> 0,
           localtimestamp - interval '250 days'
    FROM generate_series(1, :numbers::int) AS w
    CROSS JOIN (VALUES (1, 'FAQ-бот', '["greeting", "menu", "answer"]'::jsonb),
                       (2, 'Запись на приём', '["greeting", "choose_slot", "confirm"]'::jsonb)) AS k(n, name, steps)
    WHERE k.n = 1 OR w % 2 = 1
), broadcast AS (
    INSERT INTO broadcasts (id, whatsapp_number_id, title, message_text, status, scheduled_at, created_at)
    SELECT b, 1 + (b - 1) % :numbers::int,
           (ARRAY['Акция недели', 'Напоминание о записи', 'Новые часы работы', 'Опрос'])[1 + b % 4] || ' ' || b,
           'Здравствуйте! ' || md5(b::text),
           (ARRAY['sent', 'sent', 'scheduled', 'draft'])[1 + b % 4],
           localtimestamp + ((b % 4) - 1) * interval '3 days',
           localtimestamp - (b % 60) * interval '1 day'
    FROM generate_series(1, :broadcasts::int) AS b
    RETURNING id, status, scheduled_at
), recipient AS (
    INSERT INTO broadcast_recipients (broadcast_id, phone, status, sent_at)
    SELECT b.id, '+7925' || lpad(((b.id * 7919 + r * 104729) % 10000000)::text, 7, '0'),
           CASE WHEN b.status <> 'sent' THEN 'queued' ELSE (ARRAY['sent', 'delivered', 'delivered', 'read', 'failed'])[1 + r % 5] END,
           CASE WHEN b.status = 'sent' THEN b.scheduled_at + r * interval '1 second' END
    FROM broadcast b
    CROSS JOIN generate_series(1, :recipients::int) AS r
)
SELECT min(phone_number) AS phone_number FROM number WHERE id = 1
