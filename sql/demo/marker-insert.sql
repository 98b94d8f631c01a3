INSERT INTO bookops_demo (scale, report) VALUES (:scale, :report::jsonb) RETURNING seeded_at
