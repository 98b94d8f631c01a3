-- Who holds the bookops migration advisory lock (two-key form :key1, :key2).
SELECT a.pid, a.usename AS "user", a.application_name, a.client_addr::text AS client_addr,
       a.backend_start, a.state, a.query_start
FROM pg_locks l
JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory'
  AND l.granted
  AND l.classid = :key1
  AND l.objid = :key2
  AND l.objsubid = 2
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
