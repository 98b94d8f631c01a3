INSERT INTO bookops_demo (scale, report) VALUES (:scale, :report::json) RETURNING seeded_at
