// `bookops chats verify --backfill` next to the one INSERT … SELECT … ON CONFLICT a DBA would
// type, on fresh copies of a migrated demo database (triggers installed after the data, so the
// demo's bookings miss their rooms); plus `chats verify` and `chats metrics` next to their raw
// queries. The backfill's longest batch is the longest any of its locks is held.
import { adminQuery, bookops, closeSession, copyOf, median, timeSql, urlFor } from './lib.mjs';

export const name = 'chats';
export const title = '`bookops chats` vs the raw SQL';

/** The demo plants what the fix migrations' preflights refuse; resolve it the way support would. */
const PREPARE = `
UPDATE slots SET status = 'free', candidate_tg_id = NULL
WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY candidate_tg_id, recruiter_id ORDER BY start_utc, id) AS n
             FROM slots WHERE candidate_tg_id IS NOT NULL AND lower(status) IN ('pending', 'booked', 'confirmed_by_candidate')) r WHERE n > 1);
DELETE FROM notification_logs l USING slots s
WHERE s.id = l.booking_id AND (lower(s.status) = 'free' OR s.candidate_tg_id IS NULL
  OR substring(l.payload FROM '"candidate_tg_id"\\s*:\\s*"{0,1}(-{0,1}[0-9]+)') IS DISTINCT FROM s.candidate_tg_id::text);
DELETE FROM outbox_notifications o USING outbox_notifications k
WHERE o.candidate_tg_id IS NULL AND k.candidate_tg_id IS NULL AND o.type = k.type AND o.booking_id = k.booking_id AND o.id > k.id;`;

const RAW_BACKFILL = `
INSERT INTO chat_rooms (teacher_id, student_id)
SELECT DISTINCT l.teacher_id, b.student_id
FROM bookings b JOIN lessons l ON l.id = b.lesson_id
WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id
ON CONFLICT DO NOTHING`;

const RAW_VERIFY = [
  `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'bookings'::regclass AND NOT tgisinternal`,
  `SELECT count(DISTINCT (l.teacher_id, b.student_id)), count(*) FROM bookings b JOIN lessons l ON l.id = b.lesson_id
   WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id
     AND NOT EXISTS (SELECT 1 FROM chat_rooms r WHERE r.teacher_id = l.teacher_id AND r.student_id = b.student_id)`,
  `SELECT count(*) FROM (SELECT 1 FROM chat_rooms WHERE deleted_at IS NULL GROUP BY teacher_id, student_id HAVING count(*) > 1) x`,
];

// The seed's metric queries with the join fixed (teacher AND student).
const RAW_METRICS = [
  `SELECT count(*) FROM chat_rooms WHERE created_at >= current_date AND deleted_at IS NULL`,
  `SELECT avg(lag), max(lag), count(*) FILTER (WHERE lag > 3600) FROM (
     SELECT extract(epoch FROM r.created_at - min(b.updated_at)) AS lag FROM chat_rooms r
     JOIN lessons l ON l.teacher_id = r.teacher_id JOIN bookings b ON b.lesson_id = l.id AND b.student_id = r.student_id
     WHERE r.created_at >= now() - interval '7 days' AND r.deleted_at IS NULL AND lower(b.status) = 'active' AND b.deleted_at IS NULL
     GROUP BY r.id, r.created_at HAVING min(b.updated_at) <= r.created_at) x`,
];

/** One run after the other: concurrent runs would time each other. */
async function sequential(n, fn) {
  const times = [];
  for (let i = 0; i < n; i++) times.push(await fn());
  return times;
}

export async function run({ admin, tpl, scale, repeat }) {
  const base = await tpl();
  // One migrated copy (repairs, then every migration: the trigger and the backfill function),
  // then a fresh copy of it for every destructive run.
  const prepared = `bookops_bench_chats_prepared_${scale}`;
  const { rowCount } = await adminQuery(admin, `SELECT 1 FROM pg_database WHERE datname = '${prepared}'`);
  if (!rowCount) {
    await closeSession(urlFor(admin, base));
    await adminQuery(admin, `CREATE DATABASE ${prepared} TEMPLATE ${base}`);
    const url = urlFor(admin, prepared);
    await timeSql(url, PREPARE);
    bookops(['--db', url, '--statement-timeout', '2h', 'migrate', 'up']);
    await timeSql(url, 'VACUUM ANALYZE');
    await closeSession(url);
  }
  const preparedUrl = urlFor(admin, prepared);

  const backfill = [];
  const raw = [];
  let created = 0;
  let batches = 0;
  let longestBatch = 0;
  let planMs = 0;
  for (let i = 0; i < repeat; i++) {
    const copy = await copyOf(admin, prepared, `chats_bf_${scale}`);
    try {
      const r = bookops(['--db', copy.url, '--verbose', '--json', 'chats', 'verify', '--backfill', '--batch-size', '5000'], { okCodes: [1] });
      backfill.push(r.ms);
      const result = JSON.parse(r.stdout);
      created = result.backfill.created;
      batches = result.backfill.batches;
      for (const m of r.stderr.matchAll(/^batch \d+: .*\((\d+(?:\.\d+)?) ms\)$/gm)) longestBatch = Math.max(longestBatch, Number(m[1]));
      planMs = Number(/^plan: .*\((\d+(?:\.\d+)?) ms\)$/m.exec(r.stderr)?.[1] ?? 0);
    } finally {
      await copy.drop();
    }
    const again = await copyOf(admin, prepared, `chats_raw_${scale}`);
    try {
      raw.push((await timeSql(again.url, RAW_BACKFILL)).ms);
    } finally {
      await again.drop();
    }
  }
  const verify = median(Array.from({ length: repeat }, () => bookops(['--db', preparedUrl, 'chats', 'verify'], { okCodes: [1] }).ms));
  const rawVerify = median(await sequential(repeat, async () => (await timeSql(preparedUrl, RAW_VERIFY)).ms));
  const metrics = median(Array.from({ length: repeat }, () => bookops(['--db', preparedUrl, 'chats', 'metrics', '--format', 'prometheus']).ms));
  const rawMetrics = median(await sequential(repeat, async () => (await timeSql(preparedUrl, RAW_METRICS)).ms));
  return [
    {
      what: '`chats verify --backfill --batch-size 5000` vs one `INSERT … SELECT … ON CONFLICT DO NOTHING`',
      bookops: median(backfill),
      sql: median(raw),
      notes: `${created} rooms in ${batches} committed batches after a read-only plan of ${planMs.toFixed(0)} ms; longest batch (longest lock hold) ${longestBatch.toFixed(0)} ms; the raw INSERT holds its locks for its whole duration and is not resumable`,
    },
    { what: '`chats verify` (check-only) vs the seed checks, fixed', bookops: verify, sql: rawVerify, notes: 'objects, missing pairs and bookings, duplicates' },
    { what: '`chats metrics --format prometheus` vs the seed metrics, join fixed', bookops: metrics, sql: rawMetrics },
  ];
}
