-- The base inserts explicit ids (children find their parents without a lookup); move each
-- serial sequence past them so the planted rows and the platform's own writers get new ids.
SELECT setval(pg_get_serial_sequence('time_slots', 'id'), (SELECT max(id) FROM time_slots)) AS time_slots,
       setval(pg_get_serial_sequence('recruiters', 'id'), (SELECT max(id) FROM recruiters)) AS recruiters,
       setval(pg_get_serial_sequence('slots', 'id'), (SELECT max(id) FROM slots)) AS slots,
       setval(pg_get_serial_sequence('whatsapp_numbers', 'id'), (SELECT max(id) FROM whatsapp_numbers)) AS whatsapp_numbers,
       setval(pg_get_serial_sequence('conversations', 'id'), (SELECT max(id) FROM conversations)) AS conversations,
       setval(pg_get_serial_sequence('broadcasts', 'id'), (SELECT max(id) FROM broadcasts)) AS broadcasts
