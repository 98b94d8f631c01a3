-- Seed 004, planted (second half): upcoming lessons with active bookings and no live room.
--   missing.<n>  :missing pairs with no room at all (two bookings for every third pair);
--   blocked.<n>  :blocked pairs whose only room is soft-deleted (chats-blocked-rooms);
-- and decoys that must not count as missing:
--   teachers :selfFrom..:selfTo booked on their own lessons (teacher = student);
--   decoy.1..:decoys active bookings on soft-deleted lessons;
--   decoy.(:decoys + 1)..(2 * :decoys) soft-deleted active bookings.
WITH item AS (
    SELECT kind, n, k, teacher_id, student_id, lesson_deleted, booking_deleted,
           md5('bookops-demo/lesson/' || kind || '/' || n || '/' || k)::uuid AS lesson_id,
           date_trunc('day', localtimestamp) + (2 + n % 10) * interval '1 day' + (14 + k) * interval '1 hour' AS start_time
    FROM (
        SELECT 'missing' AS kind, n, k,
               md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid AS teacher_id,
               md5('bookops-demo/missing/' || n)::uuid AS student_id, false AS lesson_deleted, false AS booking_deleted
        FROM generate_series(1, :missing::int) AS n
        CROSS JOIN generate_series(1, 2) AS k
        WHERE k = 1 OR n % 3 = 0
        UNION ALL
        SELECT 'blocked', n, 1, md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
               md5('bookops-demo/blocked/' || n)::uuid, false, false
        FROM generate_series(1, :blocked::int) AS n
        UNION ALL
        SELECT 'self', t, 1, md5('bookops-demo/teacher/' || t)::uuid, md5('bookops-demo/teacher/' || t)::uuid, false, false
        FROM generate_series(:selfFrom::int, :selfTo::int) AS t
        UNION ALL
        SELECT 'decoy', n, 1, md5('bookops-demo/teacher/' || (1 + (n - 1) % :teachers::int))::uuid,
               md5('bookops-demo/decoy/' || n)::uuid, n <= :decoys::int, n > :decoys::int
        FROM generate_series(1, 2 * :decoys::int) AS n
    ) AS i
), lesson AS (
    INSERT INTO lessons (id, teacher_id, student_id, start_time, end_time, created_at, updated_at, deleted_at)
    SELECT lesson_id, teacher_id, student_id, start_time, start_time + interval '1 hour',
           localtimestamp - interval '3 days', localtimestamp - interval '3 days',
           CASE WHEN lesson_deleted THEN localtimestamp - interval '1 day' END
    FROM item
), booking AS (
    INSERT INTO bookings (id, lesson_id, student_id, status, created_at, updated_at, deleted_at)
    SELECT md5('bookops-demo/booking/' || kind || '/' || n || '/' || k)::uuid, lesson_id, student_id, 'active',
           localtimestamp - interval '2 days', localtimestamp - interval '2 days',
           CASE WHEN booking_deleted THEN localtimestamp - interval '1 day' END
    FROM item
    RETURNING id
)
SELECT count(*)::int AS rows FROM booking
