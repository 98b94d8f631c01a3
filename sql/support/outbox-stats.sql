-- outbox stats: rows per (lower-cased) status and type.
SELECT lower(o.status) AS status, o.type, count(*)::int AS rows
FROM outbox_notifications AS o
GROUP BY 1, 2
ORDER BY 1, 2
