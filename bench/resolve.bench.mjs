// `bookops slots resolve-duplicates --by-rule --yes` next to the one statement a DBA would type:
// a window over the active slots that frees every extra slot of a (candidate, recruiter) pair with
// its notification logs and reminder jobs. Each side on a fresh copy of the seeded legacy template
// (the demo plants double bookings: 500 pairs at 100k, 5,000 at 1M); both must free as many
// slots. bookops also archives every row, supersedes the candidates' earlier messages and tells
// each of them (candidate_rejection), which the raw statement does not.
import { bookops, copyOf, median, timeSql } from './lib.mjs';

export const name = 'resolve';
export const title = '`bookops slots resolve-duplicates` vs one window query';

const RAW = `
WITH ranked AS (
  SELECT s.id, row_number() OVER (PARTITION BY s.candidate_tg_id, s.recruiter_id
           ORDER BY CASE lower(s.status) WHEN 'confirmed_by_candidate' THEN 0 WHEN 'booked' THEN 1 ELSE 2 END, s.start_utc, s.id) AS n
  FROM slots s
  WHERE s.candidate_tg_id IS NOT NULL AND lower(s.status) IN ('pending', 'booked', 'confirmed_by_candidate')),
extra AS (SELECT id FROM ranked WHERE n > 1),
logs AS (DELETE FROM notification_logs l WHERE l.booking_id IN (SELECT id FROM extra)),
jobs AS (DELETE FROM slot_reminder_jobs j WHERE j.slot_id IN (SELECT id FROM extra))
UPDATE slots s SET status = 'free', candidate_tg_id = NULL, candidate_fio = NULL, candidate_tz = NULL, updated_at = now()
WHERE s.id IN (SELECT id FROM extra)`;

export async function run({ admin, tpl, scale, repeat }) {
  const base = await tpl();
  const mine = [];
  const theirs = [];
  let released = 0;
  let batches = 0;
  for (let i = 0; i < repeat; i++) {
    const a = await copyOf(admin, base, `resolve_${scale}`);
    try {
      const r = bookops(['--db', a.url, '--json', '--yes', '--statement-timeout', '1h', 'slots', 'resolve-duplicates', '--by-rule']);
      const out = JSON.parse(r.stdout);
      released = out.result.released.length;
      batches = out.result.batches;
      mine.push(r.ms);
    } finally {
      await a.drop();
    }
    const b = await copyOf(admin, base, `resolve_raw_${scale}`);
    try {
      const { ms, result } = await timeSql(b.url, RAW);
      if (result.rowCount !== released) throw new Error(`resolve-duplicates freed ${released} slots, the raw statement ${result.rowCount}`);
      theirs.push(ms);
    } finally {
      await b.drop();
    }
  }
  return [
    {
      what: '`slots resolve-duplicates --by-rule --yes` vs one window query freeing the extra slots with their logs and reminder jobs',
      bookops: median(mine),
      sql: median(theirs),
      notes: `${released} slot(s) freed in ${batches} committed batch(es); bookops also archives every row, supersedes earlier messages and enqueues one rejection per slot (one statement per batch)`,
    },
  ];
}
