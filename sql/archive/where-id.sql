t.id = ANY(CAST(:ids AS bigint[]))
