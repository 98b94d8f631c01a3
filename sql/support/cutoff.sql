-- The fixed cutoff of --older-than, computed once by the plan so every batch uses the same one
-- (interviews store timestamp without time zone, in the server's local time).
SELECT to_char(localtimestamp - make_interval(secs => CAST(:olderThanMs AS bigint) / 1000.0), 'YYYY-MM-DD HH24:MI:SS.US') AS cutoff
