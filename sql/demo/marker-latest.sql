-- The latest seed report stored by `bookops demo seed` (the demo marker), when there is one.
SELECT seeded_at, scale, report FROM bookops_demo ORDER BY id DESC LIMIT 1
