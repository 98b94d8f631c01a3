// `bookops audit` (every check in one read-only snapshot) next to the count queries a DBA would
// type for the same findings, check by check. Read-only: runs on the seeded template itself.
import { bookops, median, timeSql, urlFor } from './lib.mjs';

export const name = 'audit';
export const title = '`bookops audit` vs the raw queries';

const ACTIVE_SLOT = "('pending', 'booked', 'confirmed_by_candidate')";

/** What a DBA would type in psql for each check (counts only, no sample). */
export const RAW = {
  'interviews.duplicate-active': `SELECT count(*) FROM (SELECT time_slot_id FROM interviews WHERE lower(status) IN ('pending', 'confirmed') GROUP BY 1 HAVING count(*) > 1) x`,
  'interviews.cancelled-blocking': `SELECT count(*) FROM interviews i WHERE lower(i.status) = 'cancelled' AND NOT EXISTS (SELECT 1 FROM interviews a WHERE a.time_slot_id = i.time_slot_id AND lower(a.status) IN ('pending', 'confirmed'))`,
  'recruiting.double-booking': `SELECT count(*) FROM (SELECT 1 FROM slots WHERE candidate_tg_id IS NOT NULL AND lower(status) IN ${ACTIVE_SLOT} GROUP BY candidate_tg_id, recruiter_id HAVING count(*) > 1) x`,
  'recruiting.overlapping-slots': `SELECT count(*) FROM slots a JOIN slots b ON b.recruiter_id = a.recruiter_id AND b.start_utc >= a.start_utc AND b.start_utc < a.start_utc + a.duration_min * interval '1 minute' AND (b.start_utc > a.start_utc OR b.id > a.id) WHERE lower(a.status) IN ${ACTIVE_SLOT} AND lower(b.status) IN ${ACTIVE_SLOT}`,
  'recruiting.slot-status-counts': `SELECT lower(status), count(*) FROM slots GROUP BY 1`,
  'outbox.duplicates': `SELECT count(*) FROM (SELECT 1 FROM outbox_notifications GROUP BY type, booking_id, candidate_tg_id HAVING count(*) > 1) x`,
  'outbox.stuck': `SELECT count(*) FROM outbox_notifications WHERE lower(status) = 'pending' AND ((locked_at < now() - interval '15 minutes') OR (locked_at IS NULL AND created_at < now() - interval '1 hour' AND (next_retry_at IS NULL OR next_retry_at <= now())))`,
  'outbox.failed': `SELECT count(*) FROM outbox_notifications WHERE lower(status) = 'failed' AND (next_retry_at IS NULL OR next_retry_at <= now())`,
  'notifications.stale-logs': `SELECT count(*) FROM notification_logs l JOIN slots s ON s.id = l.booking_id WHERE lower(s.status) = 'free' OR s.candidate_tg_id IS NULL OR substring(l.payload FROM '"candidate_tg_id"\\s*:\\s*(\\d+)') IS DISTINCT FROM s.candidate_tg_id::text`,
  'whatsapp.blocking-fks': `SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND confrelid IN ('whatsapp_numbers'::regclass, 'conversations'::regclass, 'broadcasts'::regclass) AND confdeltype IN ('a', 'r')`,
  'whatsapp.orphans': `SELECT (SELECT count(*) FROM bots x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)) + (SELECT count(*) FROM conversations x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)) + (SELECT count(*) FROM broadcasts x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers p WHERE p.id = x.whatsapp_number_id)) + (SELECT count(*) FROM whatsapp_messages x WHERE NOT EXISTS (SELECT 1 FROM conversations p WHERE p.id = x.conversation_id)) + (SELECT count(*) FROM broadcast_recipients x WHERE NOT EXISTS (SELECT 1 FROM broadcasts p WHERE p.id = x.broadcast_id))`,
  'chats.missing': `SELECT count(DISTINCT (l.teacher_id, b.student_id)) FROM bookings b JOIN lessons l ON l.id = b.lesson_id WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id AND NOT EXISTS (SELECT 1 FROM chat_rooms r WHERE r.teacher_id = l.teacher_id AND r.student_id = b.student_id)`,
  'chats.blocked-by-deleted': `SELECT count(DISTINCT (l.teacher_id, b.student_id)) FROM bookings b JOIN lessons l ON l.id = b.lesson_id JOIN chat_rooms r ON r.teacher_id = l.teacher_id AND r.student_id = b.student_id WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id AND NOT EXISTS (SELECT 1 FROM chat_rooms live WHERE live.teacher_id = l.teacher_id AND live.student_id = b.student_id AND live.deleted_at IS NULL)`,
  'chats.duplicates': `SELECT count(*) FROM (SELECT 1 FROM chat_rooms WHERE deleted_at IS NULL GROUP BY teacher_id, student_id HAVING count(*) > 1) x`,
  'chats.self-rooms': `SELECT count(*) FROM chat_rooms WHERE teacher_id = student_id AND deleted_at IS NULL`,
  'schema.pending-migrations': `SELECT name FROM bookops_migrations ORDER BY id`,
  'schema.changed-migrations': `SELECT m.name, c.checksum FROM bookops_migrations m LEFT JOIN bookops_migration_checksums c ON c.name = m.name ORDER BY m.id`,
  'schema.invalid-indexes': `SELECT count(*) FROM pg_index WHERE NOT indisvalid`,
  'schema.chat-trigger': `SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = 'bookings'::regclass AND NOT tgisinternal`,
};

export async function run({ admin, tpl, repeat }) {
  const url = urlFor(admin, await tpl());
  // Interleaved, one bookops run then the raw queries, per repetition: on a shared machine the
  // two sides see the same load. The raw queries run in one session, as a DBA's psql.
  const runs = [];
  const raw = {};
  const rawTotals = [];
  for (let i = 0; i < repeat; i++) {
    const r = bookops(['--db', url, '--json', '--statement-timeout', '1h', 'audit'], { okCodes: [1] });
    runs.push({ ms: r.ms, report: JSON.parse(r.stdout) });
    let total = 0;
    for (const [id, sql] of Object.entries(RAW)) {
      const { ms } = await timeSql(url, sql);
      (raw[id] ??= []).push(ms);
      total += ms;
    }
    rawTotals.push(total);
  }
  const perCheck = (id) => median(runs.map((r) => r.report.checks.find((c) => c.id === id)?.ms ?? NaN));
  const last = runs[runs.length - 1].report;
  const rows = [
    {
      what: '`bookops audit --json` (all checks, whole process)',
      bookops: median(runs.map((r) => r.ms)),
      sql: median(rawTotals),
      notes: `raw: the ${Object.keys(RAW).length} queries below one after the other in one session`,
    },
  ];
  for (const id of Object.keys(RAW)) {
    const check = last.checks.find((c) => c.id === id);
    rows.push({ what: `\`${id}\``, bookops: perCheck(id), sql: median(raw[id]), notes: check ? `${check.status}, count ${check.count}` : '' });
  }
  return rows;
}
