// `bookops migrate up` (every pending migration, 0002 to 0008) on the seeded legacy database, on
// fresh copies of a repaired template: the demo plants the defects the preflights refuse, so a
// copy `bookops_bench_migrate_ready_<scale>` of the seeded template is prepared once per scale by
// the repairs `migrate plan` names for each refusing preflight (slots resolve-duplicates
// --by-rule, notifications clean-stale, outbox dedupe), then copied per run:
//   - the whole `migrate --verbose up`, with each preflight's queries counted in its statement
//     log (each should run once, before the first change);
//   - 0004's fill of notification_logs.candidate_tg_id taken from the same log (from sending
//     ADD COLUMN to the end of the DROP of the index of unfilled rows: index, ANALYZE, the
//     committed batches), next to what a DBA would type in one psql session, ADD COLUMN then one
//     UPDATE … FROM slots of the same rows (the fill skips logs of a slot without a candidate);
//     both must fill the same values, or the bench fails;
//   - four writer connections (plain pg clients, as the application's) doing the legacy app's
//     short autocommit writes on the tables the migrations touch, a pause between writes, for as
//     long as `migrate up` runs: every write's latency, and the failed ones. The writes respect
//     the old keys and the new ones (a new candidate per booked slot, one log and one outbox row
//     of each kind per slot, a new time slot per interview), so none should be refused.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { BIN, ROOT, adminQuery, bookops, clientUrl, closeSession, copyOf, median, timeSql, urlFor } from './lib.mjs';

export const name = 'migrate';
export const title = '`bookops migrate up` on the seeded database: preflights, 0004\'s fill vs one `UPDATE`, four writers';

const FILL = '0004_notification_logs_by_candidate.sql';
const WRITERS = 4;
const PAUSE_MS = 10;
const STALL_MS = 100;
/** Candidates of the writers' bookings: far above the demo's (5.1e9 + n), one per booked slot. */
const CANDIDATE_BASE = 9_000_000_000;

/** The repair that clears what a preflight rule finds (the one its refusal names). */
const REPAIRS = {
  'recruiting.double-booking': ['slots', 'resolve-duplicates', '--by-rule'],
  'notifications.stale-logs': ['notifications', 'clean-stale'],
  'outbox.null-candidate-duplicates': ['outbox', 'dedupe'],
};

/** What a DBA would type for 0004's fill: the column, then one UPDATE of every log whose slot has a candidate. */
const RAW_FILL = [
  'ALTER TABLE notification_logs ADD COLUMN candidate_tg_id bigint',
  `UPDATE notification_logs l SET candidate_tg_id = s.candidate_tg_id
   FROM slots s WHERE s.id = l.booking_id AND s.candidate_tg_id IS NOT NULL`,
];

/** What the fill left in the column: the same on both sides, or the raw statement is not the fill. */
const FILLED = `SELECT count(candidate_tg_id) AS n, coalesce(sum(candidate_tg_id), 0)::text AS sum FROM notification_logs`;

/** The migrations with a preflight, from their files: as many preflight queries should run. */
function preflightCount() {
  const dir = join(ROOT, 'migrations');
  return readdirSync(dir).filter((f) => f.endsWith('.sql') && /^--\s*migrate:preflight\b/m.test(readFileSync(join(dir, f), 'utf8'))).length;
}

/** The seeded template repaired as `migrate plan` asks, once per scale: `migrate up` is allowed on its copies. */
async function readyTemplate(admin, base, scale) {
  const name = `bookops_bench_migrate_ready_${scale}`;
  const { rowCount } = await adminQuery(admin, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (rowCount) return name;
  await closeSession(urlFor(admin, base));
  await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${base}`);
  const url = urlFor(admin, name);
  try {
    for (let round = 0; ; round++) {
      const plan = JSON.parse(bookops(['--db', url, '--json', 'migrate', 'plan']).stdout);
      const other = plan.wouldRefuse.filter((r) => r.reason !== 'preflight');
      if (other.length) throw new Error(`migrate plan would refuse: ${other.map((r) => r.message).join('; ')}`);
      const refusing = plan.migrations.filter((m) => m.preflight?.violations > 0);
      if (refusing.length === 0) break;
      if (round === 2) throw new Error(`still refused after the repairs: ${plan.wouldRefuse.map((r) => r.message).join('; ')}`);
      for (const m of refusing) {
        const repair = REPAIRS[m.preflight.rule];
        if (!repair) throw new Error(`${m.name}: no repair known for preflight rule ${m.preflight.rule ?? '(a query of the file)'}: ${m.preflight.description}`);
        const r = bookops(['--db', url, '--json', '--yes', '--statement-timeout', '2h', ...repair]);
        process.stderr.write(`${name}: ${repair.join(' ')} for ${m.name} (${m.preflight.violations} row(s)) in ${(r.ms / 1000).toFixed(1)} s\n`);
      }
    }
    await timeSql(url, 'VACUUM ANALYZE');
    await closeSession(url);
  } catch (err) {
    await closeSession(url);
    await adminQuery(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    throw err;
  }
  return name;
}

/**
 * bookops as a child process, not waited for synchronously (the writers run meanwhile): its
 * stdout, and each stderr line with when it arrived (ms since the start; bookops writes stderr
 * synchronously to a pipe, so a line arrives when it is written).
 */
function spawnBookops(args, onLine) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
    const lines = [];
    let stdout = '';
    let rest = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => {
      const t = performance.now() - started;
      const parts = (rest + d).split('\n');
      rest = parts.pop();
      for (const text of parts) {
        lines.push({ t, text });
        onLine?.(text, t);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (rest) lines.push({ t: ms, text: rest });
      if (code === 0) resolve({ ms, stdout, lines });
      else reject(new Error(`bookops ${args.join(' ')} exited ${code}: ${lines.at(-1)?.text ?? ''}`));
    });
  });
}

const QUERY = /^\[([\d.?]+) ms\] (.*)$/;

/**
 * From a `--verbose` statement log: the preflight queries (findings queries, `bookops_counts`)
 * per table they read, and how many ran after the first migration started; 0004's fill span,
 * its batches and their statement times.
 */
function readLog(lines) {
  const firstApply = lines.findIndex((l) => l.text.startsWith('applying '));
  const preflights = new Map();
  let late = 0;
  lines.forEach((l, i) => {
    const q = QUERY.exec(l.text);
    if (!q || !q[2].includes('bookops_counts')) return;
    const table = /bookops_found AS MATERIALIZED \(.*?\bFROM (\w+)/.exec(q[2])?.[1] ?? '?';
    preflights.set(table, (preflights.get(table) ?? 0) + 1);
    if (firstApply !== -1 && i > firstApply) late++;
  });
  const start = lines.findIndex((l) => l.text.startsWith(`  ${FILL}: ALTER TABLE notification_logs ADD COLUMN`));
  const end = lines.findIndex((l) => QUERY.test(l.text) && l.text.includes('DROP INDEX CONCURRENTLY IF EXISTS notification_logs_unfilled_candidate_idx'));
  if (start === -1 || end === -1) throw new Error(`no 0004 fill in the --verbose log of migrate up`);
  const span = lines.slice(start, end + 1);
  const batches = span.map((l) => /^\s+batch \d+: (\d+) row\(s\)/.exec(l.text)).filter(Boolean).map((m) => Number(m[1]));
  const batchMs = span.map((l) => QUERY.exec(l.text)).filter((q) => q && q[2].includes('bookops:repeat')).map((q) => Number(q[1]));
  return {
    preflights,
    late,
    fill: { ms: lines[end].t - lines[start].t, batches: batches.length, rows: batches.reduce((a, b) => a + b, 0), batchMs },
  };
}

/** Ids the writers pick from, read before bookops starts. */
async function writerIds(client) {
  const ids = async (sql) => (await client.query(sql)).rows.map((r) => r.id);
  return {
    recruiters: await ids('SELECT id FROM recruiters ORDER BY id LIMIT 500'),
    interviewers: await ids('SELECT DISTINCT interviewer_id AS id FROM time_slots LIMIT 500'),
    bookings: await ids('SELECT id FROM bookings ORDER BY id LIMIT 2000'),
    conversations: await ids('SELECT id FROM conversations ORDER BY id LIMIT 2000'),
  };
}

const pick = (list) => list[Math.floor(Math.random() * list.length)];

/**
 * One cycle of the legacy application's writes by writer w: a booking on a new slot with its
 * log and outbox rows, confirmed; an interview on a new time slot, then cancelled; a lesson
 * booking touched; a WhatsApp message. Each write its own autocommit statement; a step whose
 * input failed is skipped.
 */
function cycle(w, i, ids) {
  const candidate = CANDIDATE_BASE + w * 10_000_000 + i;
  const s = {};
  return [
    ['slots insert', () => [`INSERT INTO slots (recruiter_id, start_utc, status, candidate_tg_id, candidate_fio) VALUES ($1, now() + $2 * interval '1 minute', 'booked', $3, 'bench writer') RETURNING id`, [pick(ids.recruiters), 100_000 + i, candidate]], (r) => (s.slot = r.rows[0].id)],
    ['notification_logs insert', () => s.slot && [`INSERT INTO notification_logs (booking_id, type, payload) VALUES ($1, 'slot_approved', $2)`, [s.slot, JSON.stringify({ candidate_tg_id: candidate, slot_id: s.slot })]]],
    ['outbox insert', () => s.slot && [`INSERT INTO outbox_notifications (booking_id, type, payload_json, candidate_tg_id, status) VALUES ($1, 'slot_approved', $2, $3, 'pending')`, [s.slot, { slot_id: s.slot }, candidate]]],
    ['outbox insert, no candidate', () => s.slot && [`INSERT INTO outbox_notifications (booking_id, type, payload_json, status) VALUES ($1, 'recruiter_slot_booked', $2, 'pending')`, [s.slot, { slot_id: s.slot }]]],
    ['slots update', () => s.slot && [`UPDATE slots SET status = 'confirmed_by_candidate', updated_at = now() WHERE id = $1`, [s.slot]]],
    ['time_slots insert', () => [`INSERT INTO time_slots (interviewer_id, start_time, end_time) VALUES ($1, now()::timestamp + $2 * interval '1 minute', now()::timestamp + ($2 + 30) * interval '1 minute') RETURNING id`, [pick(ids.interviewers), 100_000 + i]], (r) => (s.timeSlot = r.rows[0].id)],
    ['interviews insert', () => s.timeSlot && [`INSERT INTO interviews (time_slot_id, interviewer_id, bot_user_id, status) VALUES ($1, $2, $3, 'pending') RETURNING id`, [s.timeSlot, pick(ids.interviewers), candidate]], (r) => (s.interview = r.rows[0].id)],
    ['interviews update', () => s.interview && [`UPDATE interviews SET status = 'cancelled', cancelled_at = now() WHERE id = $1`, [s.interview]]],
    ['bookings update', () => ids.bookings.length && [`UPDATE bookings SET updated_at = now() WHERE id = $1`, [pick(ids.bookings)]]],
    ['whatsapp_messages insert', () => ids.conversations.length && [`INSERT INTO whatsapp_messages (conversation_id, direction, body) VALUES ($1, 'in', 'bench writer')`, [pick(ids.conversations)]]],
  ];
}

/** A writer: cycles until state.done, recording each write { kind, ms, at, error, during }. */
async function writer(w, url, ids, state) {
  const client = new pg.Client({ connectionString: clientUrl(url), application_name: `bench-writer-${w}` });
  client.on('error', () => undefined);
  await client.connect();
  const writes = [];
  try {
    for (let i = 0; !state.done; i++) {
      for (const [kind, make, then] of cycle(w, i, ids)) {
        if (state.done) break;
        const q = make();
        if (!q) continue;
        const at = performance.now() - state.started;
        const during = state.migration;
        const t0 = performance.now();
        try {
          const r = await client.query(q[0], q[1]);
          then?.(r);
          writes.push({ kind, ms: performance.now() - t0, at, during });
        } catch (err) {
          writes.push({ kind, ms: performance.now() - t0, at, during, error: err.message });
        }
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  return writes;
}

/** `migrate up` with four writers running from just before it starts until it exits. */
async function underWriters(url) {
  const reader = new pg.Client({ connectionString: clientUrl(url) });
  await reader.connect();
  try {
    const ids = await writerIds(reader);
    const state = { done: false, started: performance.now(), migration: 'start-up and the preflights' };
    const running = Array.from({ length: WRITERS }, (_, w) => writer(w, url, ids, state));
    let up;
    try {
      up = await spawnBookops(['--db', url, '--json', '--statement-timeout', '1h', 'migrate', 'up'], (text) => {
        const m = /^applying (\S+)/.exec(text);
        if (m) state.migration = m[1].replace(/\.sql$/, '');
      });
    } finally {
      state.done = true;
    }
    const writes = (await Promise.all(running)).flat();
    // Logs the writers inserted after the fill's last batch: the legacy app does not know the column.
    const unfilled = (await reader.query(
      `SELECT count(*) FILTER (WHERE l.candidate_tg_id IS NULL)::int AS unfilled, count(*)::int AS logs
       FROM notification_logs l JOIN slots s ON s.id = l.booking_id WHERE s.candidate_tg_id >= $1`, [CANDIDATE_BASE])).rows[0];
    return { ms: up.ms, applied: JSON.parse(up.stdout).applied, writes, unfilled };
  } finally {
    await reader.end().catch(() => undefined);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const short = (applied) => applied.map((m) => `${m.name.slice(0, 4)} ${m.ms} ms`).join(', ');

export async function run({ admin, tpl, scale, repeat }) {
  const ready = await readyTemplate(admin, await tpl(), scale);
  const expected = preflightCount();
  const ups = [];
  const fills = [];
  const raws = [];
  const underLoad = [];
  let last;
  for (let i = 0; i < repeat; i++) {
    const a = await copyOf(admin, ready, `migrate_up_${scale}`);
    let filled;
    try {
      const r = await spawnBookops(['--db', a.url, '--json', '--verbose', '--statement-timeout', '1h', 'migrate', 'up']);
      last = { ...readLog(r.lines), applied: JSON.parse(r.stdout).applied };
      ups.push(r.ms);
      fills.push(last.fill.ms);
      filled = (await timeSql(a.url, FILLED)).result.rows[0];
    } finally {
      await a.drop();
    }
    const b = await copyOf(admin, ready, `migrate_raw_${scale}`);
    try {
      const { ms, result } = await timeSql(b.url, RAW_FILL);
      if (result.rowCount !== last.fill.rows) throw new Error(`0004's fill filled ${last.fill.rows} logs, the raw UPDATE ${result.rowCount}`);
      const theirs = (await timeSql(b.url, FILLED)).result.rows[0];
      if (theirs.n !== filled.n || theirs.sum !== filled.sum) throw new Error(`0004's fill and the raw UPDATE left different values (${JSON.stringify(filled)} vs ${JSON.stringify(theirs)})`);
      raws.push(ms);
    } finally {
      await b.drop();
    }
    const c = await copyOf(admin, ready, `migrate_writers_${scale}`);
    try {
      underLoad.push(await underWriters(c.url));
    } finally {
      await c.drop();
    }
  }

  const counts = [...last.preflights].map(([table, n]) => `${table} ×${n}`).join(', ');
  const queries = [...last.preflights.values()].reduce((a, b) => a + b, 0);
  const once = queries === expected && [...last.preflights.values()].every((n) => n === 1) && last.late === 0;
  const batchMs = [...last.fill.batchMs].sort((x, y) => x - y);

  const writes = underLoad.flatMap((u) => u.writes);
  const failed = writes.filter((w) => w.error);
  const ms = writes.map((w) => w.ms).sort((x, y) => x - y);
  const worst = writes.reduce((a, b) => (b.ms > a.ms ? b : a), writes[0]);
  const errors = [...new Set(failed.map((w) => `${w.kind}: ${w.error}`))].slice(0, 3);
  const unfilled = underLoad.reduce((a, u) => ({ unfilled: a.unfilled + u.unfilled.unfilled, logs: a.logs + u.unfilled.logs }), { unfilled: 0, logs: 0 });
  const runs = repeat > 1 ? ` (all ${repeat} runs)` : '';

  return [
    {
      what: `\`migrate --verbose up\`, ${last.applied.length} migrations, whole process, on a repaired copy`,
      bookops: median(ups),
      notes:
        `${short(last.applied)}; preflight queries: ${counts} (${queries} for the ${expected} preflights, ` +
        `${last.late ? `${last.late} after the first migration started` : 'all before the first change'})${once ? ': each once' : ': NOT each once'}`,
    },
    {
      what: "0004's fill vs one `UPDATE` (ADD COLUMN, then the fill)",
      bookops: median(fills),
      sql: median(raws),
      notes:
        `${last.fill.rows} logs filled in ${last.fill.batches} committed batches (statement median ${median(batchMs).toFixed(0)} ms, ` +
        `longest ${batchMs.at(-1).toFixed(0)} ms, sum ${batchMs.reduce((a, b) => a + b, 0).toFixed(0)} ms), plus the index of unfilled rows, its ANALYZE and DROP; ` +
        `raw: ADD COLUMN + one UPDATE … FROM slots, one transaction; same values filled`,
    },
    {
      what: `\`migrate up\` under ${WRITERS} writers (autocommit writes, ${PAUSE_MS} ms apart)`,
      bookops: median(underLoad.map((u) => u.ms)),
      notes:
        `${writes.length} writes${runs}, ${failed.length} failed${errors.length ? ` (${errors.join('; ')})` : ''}; ` +
        `slowest ${worst.ms.toFixed(0)} ms (${worst.kind}, during ${worst.during}), p99 ${percentile(ms, 0.99).toFixed(0)} ms, ` +
        `${ms.filter((x) => x > STALL_MS).length} over ${STALL_MS} ms; ${short(underLoad.at(-1).applied)}; ` +
        `${unfilled.unfilled} of the ${unfilled.logs} logs the writers inserted left without candidate_tg_id (written after the fill)`,
    },
  ];
}
