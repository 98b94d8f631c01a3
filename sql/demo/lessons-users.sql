-- Lessons platform (seed 004): every user the demo needs, with ids derived from a name
-- (md5('bookops-demo/<kind>/<n>')::uuid) so that lessons, bookings and rooms find them without a
-- lookup: :teachers teachers, :students students of the base, and the students of the planted
-- pairs (missing.<n>, blocked.<n>) and of the decoys (decoy.<n>).
INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at)
SELECT md5('bookops-demo/' || u.kind || '/' || u.n)::uuid,
       u.kind || '.' || u.n || '@demo.bookops.test',
       (ARRAY['Алиса', 'Борис', 'Вера', 'Глеб', 'Дина', 'Егор', 'Зоя', 'Илья', 'Кира'])[1 + u.n % 9],
       (ARRAY['Орлова', 'Соколов', 'Волкова', 'Зайцев', 'Морозова', 'Лебедев', 'Козлова'])[1 + u.n % 7],
       CASE WHEN u.kind = 'teacher' THEN 'teacher' ELSE 'student' END,
       localtimestamp - interval '500 days' + (u.n % 300) * interval '1 day',
       localtimestamp - (u.n % 30) * interval '1 day'
FROM (
    SELECT 'teacher' AS kind, n FROM generate_series(1, :teachers::int) AS n
    UNION ALL SELECT 'student', n FROM generate_series(1, :students::int) AS n
    UNION ALL SELECT 'missing', n FROM generate_series(1, :missing::int) AS n
    UNION ALL SELECT 'blocked', n FROM generate_series(1, :blocked::int) AS n
    UNION ALL SELECT 'decoy', n FROM generate_series(1, 2 * :decoys::int) AS n
) AS u
