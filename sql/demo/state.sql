-- What the demo needs to know of the database, and its marker table (bookops_demo).

-- name: database-state
-- What the demo finds in the current schema: relations that are neither platform tables
-- (:platform) nor bookops' own bookkeeping (bookops_*), and whether the demo marker exists.
SELECT coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (
           WHERE c.relname <> ALL(:platform::text[]) AND c.relname NOT LIKE 'bookops\_%'), '{}') AS foreign_tables,
       coalesce(array_agg(c.relname::text ORDER BY c.relname) FILTER (WHERE c.relname = ANY(:platform::text[])), '{}') AS platform_tables,
       bool_or(c.relname = 'bookops_demo') IS TRUE AS has_marker
FROM pg_class c
WHERE c.relnamespace = current_schema()::regnamespace
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f')

-- name: table-state
-- For each of :names: whether it is a table of the current schema and whether it holds any row
-- (one cheap EXISTS per table, through query_to_xml so that this stays one statement).
SELECT t.name,
       c.oid IS NOT NULL AS present,
       CASE WHEN c.oid IS NULL THEN false
            ELSE (xpath('/row/x/text()',
                        query_to_xml(format('SELECT EXISTS (SELECT 1 FROM %I.%I) AS x', current_schema(), t.name),
                                     false, true, '')))[1]::text::boolean
       END AS has_rows
FROM unnest(:names::text[]) AS t(name)
LEFT JOIN pg_class c
       ON c.relname = t.name
      AND c.relnamespace = current_schema()::regnamespace
      AND c.relkind IN ('r', 'p')

-- name: schema-facts
-- Facts about the target schema that decide what the seeder can plant and how it counts:
-- cancelled_blocks: a unique constraint or index on interviews (time_slot_id) alone, without
--   a predicate, so that cancelled interviews keep their slot (seed 000);
-- log_candidate_column: notification_logs has the candidate_tg_id column of the fix (seed 002).
SELECT EXISTS (
         SELECT 1
         FROM pg_index i
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
         WHERE i.indrelid = to_regclass(format('%I.interviews', current_schema()))
           AND i.indisunique
           AND i.indpred IS NULL
           AND i.indnkeyatts = 1
           AND a.attname = 'time_slot_id'
       ) AS cancelled_blocks,
       EXISTS (
         SELECT 1
         FROM pg_attribute a
         WHERE a.attrelid = to_regclass(format('%I.notification_logs', current_schema()))
           AND a.attname = 'candidate_tg_id'
           AND NOT a.attisdropped
       ) AS log_candidate_column

-- name: row-counts
-- Exact row counts of every platform table after seeding (triggers of a fixed schema may have
-- added rows of their own, so these are counted, not summed from the inserts).
SELECT (SELECT count(*) FROM time_slots)::bigint AS time_slots,
       (SELECT count(*) FROM interviews)::bigint AS interviews,
       (SELECT count(*) FROM recruiters)::bigint AS recruiters,
       (SELECT count(*) FROM slots)::bigint AS slots,
       (SELECT count(*) FROM slot_reminder_jobs)::bigint AS slot_reminder_jobs,
       (SELECT count(*) FROM notification_logs)::bigint AS notification_logs,
       (SELECT count(*) FROM outbox_notifications)::bigint AS outbox_notifications,
       (SELECT count(*) FROM whatsapp_numbers)::bigint AS whatsapp_numbers,
       (SELECT count(*) FROM bots)::bigint AS bots,
       (SELECT count(*) FROM conversations)::bigint AS conversations,
       (SELECT count(*) FROM whatsapp_messages)::bigint AS whatsapp_messages,
       (SELECT count(*) FROM broadcasts)::bigint AS broadcasts,
       (SELECT count(*) FROM broadcast_recipients)::bigint AS broadcast_recipients,
       (SELECT count(*) FROM users)::bigint AS users,
       (SELECT count(*) FROM lessons)::bigint AS lessons,
       (SELECT count(*) FROM bookings)::bigint AS bookings,
       (SELECT count(*) FROM chat_rooms)::bigint AS chat_rooms,
       (SELECT count(*) FROM messages)::bigint AS messages

-- name: chats-counts
-- The planted chat defects as they stand after planting, counted over the planted pairs, their
-- planted bookings (found by primary key) and the planted teachers only: a chat trigger of a
-- fixed schema may have opened rooms for some. missing.<n>: an active booking and no room at
-- all; blocked.<n>: an active booking and only soft-deleted rooms; rooms of the planted
-- teachers with themselves.
WITH planted AS (
    SELECT 'missing' AS kind,
           md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid AS teacher_id,
           md5('bookops-demo/missing/' || n)::uuid AS student_id,
           ARRAY[md5('bookops-demo/booking/missing/' || n || '/1')::uuid,
                 md5('bookops-demo/booking/missing/' || n || '/2')::uuid] AS booking_ids
    FROM generate_series(1, :missing::int) AS n
    UNION ALL
    SELECT 'blocked',
           md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
           md5('bookops-demo/blocked/' || n)::uuid,
           ARRAY[md5('bookops-demo/booking/blocked/' || n || '/1')::uuid]
    FROM generate_series(1, :blocked::int) AS n
), state AS (
    SELECT p.kind,
           EXISTS (SELECT 1 FROM bookings b JOIN lessons l ON l.id = b.lesson_id
                   WHERE b.id = ANY(p.booking_ids) AND b.student_id = p.student_id AND l.teacher_id = p.teacher_id
                     AND lower(b.status) = :active AND b.deleted_at IS NULL AND l.deleted_at IS NULL) AS booked,
           EXISTS (SELECT 1 FROM chat_rooms r
                   WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id AND r.deleted_at IS NULL) AS live_room,
           EXISTS (SELECT 1 FROM chat_rooms r
                   WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id AND r.deleted_at IS NOT NULL) AS deleted_room
    FROM planted p
)
SELECT (count(*) FILTER (WHERE kind = 'missing' AND booked AND NOT live_room AND NOT deleted_room))::int AS missing,
       (count(*) FILTER (WHERE kind = 'blocked' AND booked AND NOT live_room AND deleted_room))::int AS blocked,
       (SELECT count(*) FROM chat_rooms r
        WHERE r.teacher_id = r.student_id
          AND r.teacher_id IN (SELECT md5('bookops-demo/teacher/' || t)::uuid FROM generate_series(1, :selfTo::int) AS t))::int AS self_rooms,
       md5('bookops-demo/teacher/1')::uuid AS missing_teacher_id,
       md5('bookops-demo/missing/1')::uuid AS missing_student_id
FROM state

-- name: sync-sequences
-- The base inserts explicit ids (children find their parents without a lookup); move each
-- serial sequence past them so the planted rows and the platform's own writers get new ids.
SELECT setval(pg_get_serial_sequence('time_slots', 'id'), (SELECT max(id) FROM time_slots)) AS time_slots,
       setval(pg_get_serial_sequence('recruiters', 'id'), (SELECT max(id) FROM recruiters)) AS recruiters,
       setval(pg_get_serial_sequence('slots', 'id'), (SELECT max(id) FROM slots)) AS slots,
       setval(pg_get_serial_sequence('whatsapp_numbers', 'id'), (SELECT max(id) FROM whatsapp_numbers)) AS whatsapp_numbers,
       setval(pg_get_serial_sequence('conversations', 'id'), (SELECT max(id) FROM conversations)) AS conversations,
       setval(pg_get_serial_sequence('broadcasts', 'id'), (SELECT max(id) FROM broadcasts)) AS broadcasts

-- name: marker
-- The demo marker: bookops_demo holds the seed report of every seeding of this database, so
-- `bookops demo` knows it set the database up and can show the report again (json, not jsonb:
-- the report comes back with its keys in their order).
CREATE TABLE IF NOT EXISTS bookops_demo (
    id serial PRIMARY KEY,
    seeded_at timestamptz NOT NULL DEFAULT now(),
    scale integer NOT NULL,
    report json NOT NULL
)

-- name: marker-insert
INSERT INTO bookops_demo (scale, report) VALUES (:scale, :report::json) RETURNING seeded_at

-- name: marker-latest
-- The latest seed report stored by `bookops demo seed` (the demo marker), when there is one.
SELECT seeded_at, scale, report FROM bookops_demo ORDER BY id DESC LIMIT 1
-- name: lock-seed
-- One seeding at a time per database.
SELECT pg_try_advisory_xact_lock(hashtext('bookops.demo.seed')) AS ok

-- name: marker-exists
SELECT to_regclass('bookops_demo') IS NOT NULL AS present

-- name: analyze
-- Fresh statistics after seeding (ANALYZE sees this transaction's rows), so the audit gets sensible plans.
ANALYZE {{tables}}
