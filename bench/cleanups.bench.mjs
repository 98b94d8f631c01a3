// `bookops interviews clean-cancelled` and `bookops notifications clean-stale` next to the one
// statement a DBA would type for the same result, `WITH d AS (DELETE … RETURNING *) INSERT INTO
// <archive> SELECT * FROM d`, each on a fresh copy of the seeded legacy template (copyOf):
//   - demo: the defects `demo seed` plants (a few percent of the rows);
//   - every row: a copy prepared once per scale in which every interview is cancelled and every
//     slot freed, so the whole table goes (the committed keyset batches at full size).
// Both sides must remove the same number of rows; a difference fails the bench. Then the undo:
// `bookops archive restore <op>` next to `INSERT INTO <table> SELECT * FROM <archive>`, both
// putting back as many rows as were removed.
import { adminQuery, bookops, closeSession, copyOf, median, timeSql, urlFor } from './lib.mjs';

export const name = 'cleanups';
export const title = '`bookops interviews clean-cancelled` and `notifications clean-stale` vs `DELETE … RETURNING` into an archive';

const BATCH = 5000;

/** What a DBA would type: the rule of docs/CHECKS.md, one statement, into an archive table of their own. */
const RAW = {
  interviews: {
    table: 'interviews',
    archive: 'CREATE TABLE interviews_archive (LIKE interviews)',
    sql: `WITH d AS (
  DELETE FROM interviews i
  WHERE lower(i.status) = 'cancelled'
    AND NOT EXISTS (SELECT 1 FROM interviews a WHERE a.time_slot_id = i.time_slot_id AND lower(a.status) IN ('pending', 'confirmed'))
  RETURNING i.*)
INSERT INTO interviews_archive SELECT * FROM d`,
  },
  logs: {
    table: 'notification_logs',
    archive: 'CREATE TABLE notification_logs_archive (LIKE notification_logs)',
    sql: `WITH d AS (
  DELETE FROM notification_logs l USING slots s
  WHERE s.id = l.booking_id
    AND (lower(s.status) = 'free' OR s.candidate_tg_id IS NULL
         OR substring(l.payload FROM '"candidate_tg_id"\\s*:\\s*"?(-?[0-9]+)')::numeric IS DISTINCT FROM s.candidate_tg_id)
  RETURNING l.*)
INSERT INTO notification_logs_archive SELECT * FROM d`,
  },
};

/** Every interview cancelled, every slot freed: the whole of both tables becomes eligible. */
const EVERY_ROW = `
UPDATE interviews SET status = 'cancelled', cancelled_at = coalesce(cancelled_at, created_at);
UPDATE slots SET status = 'free', candidate_tg_id = NULL, candidate_fio = NULL, candidate_tz = NULL;`;

const CASES = [
  { what: 'interviews clean-cancelled', args: ['interviews', 'clean-cancelled'], raw: RAW.interviews },
  { what: 'notifications clean-stale', args: ['notifications', 'clean-stale'], raw: RAW.logs },
];

async function everyRowTemplate(admin, base, scale) {
  const name = `bookops_bench_cleanups_all_${scale}`;
  const { rowCount } = await adminQuery(admin, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
  if (!rowCount) {
    await closeSession(urlFor(admin, base));
    await adminQuery(admin, `CREATE DATABASE ${name} TEMPLATE ${base}`);
    const url = urlFor(admin, name);
    await timeSql(url, EVERY_ROW);
    await timeSql(url, 'VACUUM FULL interviews');
    await timeSql(url, 'VACUUM FULL slots');
    await closeSession(url);
  }
  return name;
}

/** One timed run of each side on fresh copies; returns times and the rows each removed. */
async function once(admin, tpl, scale, c, label) {
  const mine = await copyOf(admin, tpl, `cln_${label}_${scale}`);
  let bookopsRun;
  try {
    const r = bookops(['--db', mine.url, '--json', '--yes', '--statement-timeout', '1h', ...c.args, '--batch-size', String(BATCH)]);
    const out = JSON.parse(r.stdout);
    bookopsRun = { ms: r.ms, rows: out.result?.rows ?? 0, batches: out.result?.batches ?? 0 };
    const undo = bookops(['--db', mine.url, '--json', '--yes', '--statement-timeout', '1h', 'archive', 'restore', String(out.archiveOperation)]);
    const restored = Object.values(JSON.parse(undo.stdout).restored.inserted).reduce((a, b) => a + b, 0);
    if (restored !== bookopsRun.rows) throw new Error(`${c.what}: restore put back ${restored} of ${bookopsRun.rows} rows`);
    bookopsRun.restoreMs = undo.ms;
  } finally {
    await mine.drop();
  }
  const theirs = await copyOf(admin, tpl, `cln_${label}_raw_${scale}`);
  try {
    await timeSql(theirs.url, c.raw.archive);
    const { ms, result } = await timeSql(theirs.url, c.raw.sql);
    if (result.rowCount !== bookopsRun.rows) {
      throw new Error(`${c.what}: bookops removed ${bookopsRun.rows} rows, the raw statement ${result.rowCount}`);
    }
    const undo = await timeSql(theirs.url, `INSERT INTO ${c.raw.table} SELECT * FROM ${c.raw.table}_archive`);
    return { bookops: bookopsRun, sql: ms, restoreSql: undo.ms };
  } finally {
    await theirs.drop();
  }
}

export async function run({ admin, tpl, scale, repeat }) {
  const base = await tpl();
  const all = await everyRowTemplate(admin, base, scale);
  const rows = [];
  for (const [set, template, runs] of [
    ['demo defects', base, repeat],
    ['every row', all, 1],
  ]) {
    for (const [i, c] of CASES.entries()) {
      const results = [];
      for (let r = 0; r < runs; r++) results.push(await once(admin, template, scale, c, `${set === 'every row' ? 'all' : 'demo'}${i}`));
      const last = results[results.length - 1].bookops;
      rows.push({
        what: `\`${c.what}\`, ${set}`,
        bookops: median(results.map((x) => x.bookops.ms)),
        sql: median(results.map((x) => x.sql)),
        notes: `${last.rows} row(s) archived and deleted in ${last.batches} committed batch(es) of ≤ ${BATCH}${runs === 1 ? '; one run' : ''}`,
      });
      rows.push({
        what: `its \`archive restore\`, ${set}`,
        bookops: median(results.map((x) => x.bookops.restoreMs)),
        sql: median(results.map((x) => x.restoreSql)),
        notes: `${last.rows} row(s) put back in one transaction; raw: \`INSERT INTO ${c.raw.table} SELECT * FROM ${c.raw.table}_archive\``,
      });
    }
  }
  return rows;
}
