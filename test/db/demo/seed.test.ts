/**
 * The demo seeder on a real database: the counts it reports are the counts the plan promises,
 * and independent queries written by hand from the definitions in docs/CHECKS.md (not the
 * audit's) find exactly them: the healthy base triggers no check, nothing moves as time passes,
 * and on a schema with the fixes applied the defects it forbids are reported as 0.
 */
import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CHECK_IDS, type DemoCheckId } from '../../../src/demo/checks.js';
import { per, seedPlan } from '../../../src/demo/plan.js';
import { seedDemo } from '../../../src/demo/seed.js';
import type { SeedReport } from '../../../src/demo/types.js';
import { AbsentTablesError, RefusedError } from '../../../src/errors.js';
import { databasesForThisFile, type TestDatabase } from '../../fixtures/db.js';
import { fixedSchema, legacySchema } from '../../fixtures/schema.js';

const INTERVIEW_ACTIVE = ['pending', 'confirmed'];
const SLOT_ACTIVE = ['pending', 'booked', 'confirmed_by_candidate'];

/** What the seeder promises at scale n on the legacy schema (docs/DEMO.md). */
function expected(n: number): Record<DemoCheckId, number> {
  return {
    'interviews.duplicate-active': 0,
    'interviews.cancelled-blocking': per(n, 50),
    'recruiting.double-booking': per(n, 200),
    'recruiting.overlapping-slots': per(n, 250),
    'outbox.duplicates': per(n, 125),
    'outbox.stuck': per(n, 100),
    'outbox.failed': per(n, 80),
    'notifications.stale-logs': 2 * per(n, 200) + per(n, 250),
    'whatsapp.orphans': 0,
    'chats.missing': per(n, 100),
    'chats.blocked-by-deleted': per(n, 200),
    'chats.duplicates': 0,
    'chats.self-rooms': per(n, 500),
  };
}

async function scalar(db: Knex, sql: string, params: Record<string, unknown> = {}): Promise<number> {
  const { rows } = await db.raw(`SELECT (${sql})::bigint AS n`, params);
  return Number(rows[0].n);
}

/**
 * docs/CHECKS.md, check by check, as a DBA would type it. `at` is the moment the time-based
 * checks are evaluated at (now, or later: nothing may become stuck as time passes).
 */
async function independentCounts(db: Knex, at = 'now()', logCandidate: 'payload' | 'column' = 'payload') {
  const p = { ia: INTERVIEW_ACTIVE, sa: SLOT_ACTIVE };
  const logCandidateSql = logCandidate === 'column' ? 'l.candidate_tg_id' : "(l.payload::jsonb ->> 'candidate_tg_id')::bigint";
  const pairsWithActiveBooking = `
    SELECT DISTINCT l.teacher_id, b.student_id
    FROM bookings b JOIN lessons l ON l.id = b.lesson_id
    WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id`;
  const counts: Record<DemoCheckId, number> = {
    'interviews.duplicate-active': await scalar(
      db,
      `SELECT count(*) FROM (SELECT time_slot_id FROM interviews WHERE lower(status) = ANY(:ia)
         GROUP BY time_slot_id HAVING count(*) > 1) x`,
      p,
    ),
    'interviews.cancelled-blocking': await scalar(
      db,
      `SELECT CASE WHEN EXISTS (
                SELECT 1 FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = 'interviews'::regclass AND i.indisunique AND i.indpred IS NULL
                  AND i.indnkeyatts = 1 AND a.attname = 'time_slot_id')
              THEN (SELECT count(*) FROM interviews c WHERE lower(c.status) = 'cancelled'
                      AND NOT EXISTS (SELECT 1 FROM interviews a WHERE a.time_slot_id = c.time_slot_id AND lower(a.status) = ANY(:ia)))
              ELSE 0 END`,
      p,
    ),
    'recruiting.double-booking': await scalar(
      db,
      `SELECT count(*) FROM (SELECT candidate_tg_id, recruiter_id FROM slots
         WHERE lower(status) = ANY(:sa) AND candidate_tg_id IS NOT NULL
         GROUP BY 1, 2 HAVING count(*) > 1) x`,
      p,
    ),
    'recruiting.overlapping-slots': await scalar(
      db,
      `SELECT count(*) FROM slots a JOIN slots b ON b.recruiter_id = a.recruiter_id AND a.id < b.id
       WHERE lower(a.status) = ANY(:sa) AND lower(b.status) = ANY(:sa)
         AND a.start_utc < b.start_utc + b.duration_min * interval '1 minute'
         AND b.start_utc < a.start_utc + a.duration_min * interval '1 minute'`,
      p,
    ),
    'outbox.duplicates': await scalar(
      db,
      `SELECT count(*) FROM (SELECT 1 FROM outbox_notifications GROUP BY type, booking_id, candidate_tg_id HAVING count(*) > 1) x`,
    ),
    'outbox.stuck': await scalar(
      db,
      `SELECT count(*) FROM outbox_notifications WHERE lower(status) = 'pending' AND (
         (locked_at IS NOT NULL AND locked_at < ${at} - interval '15 minutes')
         OR (locked_at IS NULL AND created_at < ${at} - interval '1 hour' AND (next_retry_at IS NULL OR next_retry_at <= ${at})))`,
    ),
    'outbox.failed': await scalar(
      db,
      `SELECT count(*) FROM outbox_notifications WHERE lower(status) = 'failed' AND (next_retry_at IS NULL OR next_retry_at <= ${at})`,
    ),
    'notifications.stale-logs': await scalar(
      db,
      `SELECT count(*) FROM notification_logs l JOIN slots s ON s.id = l.booking_id
       WHERE lower(s.status) = 'free' OR s.candidate_tg_id IS NULL OR ${logCandidateSql} IS DISTINCT FROM s.candidate_tg_id`,
    ),
    'whatsapp.orphans': await scalar(
      db,
      `SELECT (SELECT count(*) FROM bots x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers n WHERE n.id = x.whatsapp_number_id))
            + (SELECT count(*) FROM conversations x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers n WHERE n.id = x.whatsapp_number_id))
            + (SELECT count(*) FROM broadcasts x WHERE NOT EXISTS (SELECT 1 FROM whatsapp_numbers n WHERE n.id = x.whatsapp_number_id))
            + (SELECT count(*) FROM whatsapp_messages x WHERE NOT EXISTS (SELECT 1 FROM conversations c WHERE c.id = x.conversation_id))
            + (SELECT count(*) FROM broadcast_recipients x WHERE NOT EXISTS (SELECT 1 FROM broadcasts b WHERE b.id = x.broadcast_id))`,
    ),
    'chats.missing': await scalar(
      db,
      `SELECT count(*) FROM (${pairsWithActiveBooking}) p
       WHERE NOT EXISTS (SELECT 1 FROM chat_rooms r WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id)`,
    ),
    'chats.blocked-by-deleted': await scalar(
      db,
      `SELECT count(*) FROM (${pairsWithActiveBooking}) p
       WHERE EXISTS (SELECT 1 FROM chat_rooms r WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id)
         AND NOT EXISTS (SELECT 1 FROM chat_rooms r WHERE r.teacher_id = p.teacher_id AND r.student_id = p.student_id AND r.deleted_at IS NULL)`,
    ),
    'chats.duplicates': await scalar(
      db,
      `SELECT count(*) FROM (SELECT 1 FROM chat_rooms WHERE deleted_at IS NULL GROUP BY teacher_id, student_id HAVING count(*) > 1) x`,
    ),
    'chats.self-rooms': await scalar(db, `SELECT count(*) FROM chat_rooms WHERE teacher_id = student_id`),
  };
  return counts;
}

function reported(report: SeedReport): Record<DemoCheckId, number> {
  return Object.fromEntries(DEMO_CHECK_IDS.map((id) => [id, report.planted[id].count])) as Record<DemoCheckId, number>;
}

const database = databasesForThisFile();

describe.each([50, 200])('demo seed at scale %i on the legacy schema', (scale) => {
  let t: TestDatabase;
  let report: SeedReport;
  beforeAll(async () => {
    t = await database(`demo_seed_${scale}`);
    await legacySchema(t);
    report = await seedDemo(t.db, { scale, target: 'test' });
  });

  it('reports every data check of docs/CHECKS.md with the counts the plan promises', () => {
    expect(Object.keys(report.planted)).toEqual(DEMO_CHECK_IDS);
    expect(reported(report)).toEqual(expected(scale));
    for (const id of DEMO_CHECK_IDS) {
      expect(report.planted[id].note, id).not.toBe('');
      if (report.planted[id].count === 0) expect(report.planted[id].note, id).toMatch(/^none: refused by \w+/);
    }
  });

  it('independent queries from the check definitions find exactly the reported counts', async () => {
    expect(await independentCounts(t.db)).toEqual(reported(report));
  });

  it('nothing becomes stuck or failed as time passes', async () => {
    for (const later of ["now() + interval '1 day'", "now() + interval '400 days'"]) {
      expect(await independentCounts(t.db, later)).toEqual(reported(report));
    }
  });

  it('puts about scale rows in each module main table, more in the child tables', () => {
    const plan = seedPlan(scale);
    for (const table of ['time_slots', 'slots', 'conversations', 'lessons', 'bookings']) {
      expect(report.rows[table], table).toBeGreaterThanOrEqual(scale);
      expect(report.rows[table], table).toBeLessThan(scale * 1.2 + 20);
    }
    expect(report.rows.whatsapp_messages).toBeGreaterThan(2 * scale);
    expect(report.rows.broadcast_recipients).toBe(plan.whatsapp.broadcasts * plan.whatsapp.recipientsPerBroadcast);
  });

  it('writes some slot statuses in upper case, and the report into the demo marker', async () => {
    expect(await scalar(t.db, `SELECT count(*) FROM slots WHERE status <> lower(status)`)).toBeGreaterThan(0);
    const { rows } = await t.db.raw('SELECT scale, report FROM bookops_demo');
    expect(rows).toHaveLength(1);
    expect(rows[0].report.planted).toEqual(report.planted);
  });

  it('gives real ids for the next steps', async () => {
    const { cancelledSlot, whatsappNumber, missingChat } = report.samples;
    const { rows } = await t.db.raw('SELECT status, bot_user_id FROM interviews WHERE time_slot_id = ?', [cancelledSlot!.slotId]);
    expect(rows).toEqual([{ status: 'cancelled', bot_user_id: cancelledSlot!.userTgId }]);
    expect(await scalar(t.db, `SELECT count(*) FROM conversations c JOIN whatsapp_numbers n ON n.id = c.whatsapp_number_id WHERE n.phone_number = :p`, { p: whatsappNumber })).toBeGreaterThan(0);
    expect(await scalar(t.db, `SELECT count(*) FROM chat_rooms WHERE teacher_id = :t AND student_id = :s`, { t: missingChat!.teacherId, s: missingChat!.studentId })).toBe(0);
  });

  it('refuses to seed tables that hold data, and writes nothing', async () => {
    const before = await scalar(t.db, 'SELECT count(*) FROM slots');
    const err = await seedDemo(t.db, { scale, target: 'test' }).catch((e) => e);
    expect(err).toBeInstanceOf(RefusedError);
    expect(err.exitCode).toBe(4);
    expect(err.message).toMatch(/already holds platform data/);
    expect(await scalar(t.db, 'SELECT count(*) FROM slots')).toBe(before);
  });
});

describe('demo seed preconditions and variants', () => {
  it('the healthy base alone triggers none of the checks', async () => {
    const t = await database('demo_healthy');
    await legacySchema(t);
    const report = await seedDemo(t.db, { scale: 300, target: 'test', defects: false });
    const zero = Object.fromEntries(DEMO_CHECK_IDS.map((id) => [id, 0]));
    expect(reported(report)).toEqual(zero);
    expect(await independentCounts(t.db)).toEqual(zero);
    expect(await independentCounts(t.db, "now() + interval '30 days'")).toEqual(zero);
  });

  it('refuses a database without the platform schema and names the fix', async () => {
    const t = await database('demo_noschema');
    const err = await seedDemo(t.db, { scale: 10, target: 'test' }).catch((e) => e);
    expect(err).toBeInstanceOf(AbsentTablesError);
    expect(err.exitCode).toBe(7);
    expect(`${err.message} ${err.hint}`).toMatch(/no platform table exists.*bookops migrate up --to 0001/);
    await t.db.raw('CREATE TABLE time_slots (id serial PRIMARY KEY)');
    const partial = await seedDemo(t.db, { scale: 10, target: 'test' }).catch((e) => e);
    expect(partial.message).toMatch(/missing interviews, recruiters/);
  });

  it('a second seeding while one runs refuses instead of waiting or colliding', async () => {
    const t = await database('demo_lock');
    await legacySchema(t);
    const other = await t.open();
    await other.transaction(async (trx) => {
      await trx.raw("SELECT pg_advisory_xact_lock(hashtext('bookops.demo.seed'))");
      const err = await seedDemo(t.db, { scale: 10, target: 'test' }).catch((e) => e);
      expect(err).toBeInstanceOf(RefusedError);
      expect(err.message).toMatch(/another bookops demo seed is running/);
    });
    expect(await scalar(t.db, 'SELECT count(*) FROM slots')).toBe(0);
  });

  it('scale 1 still plants every plantable defect once', async () => {
    const t = await database('demo_scale1');
    await legacySchema(t);
    const report = await seedDemo(t.db, { scale: 1, target: 'test' });
    expect(reported(report)).toEqual(expected(1));
    expect(await independentCounts(t.db)).toEqual(reported(report));
  });

  it('on the fixed schema, what the fixes forbid is reported as 0 with the reason, and the counts still hold', async () => {
    const t = await database('demo_fixed');
    await fixedSchema(t);
    const report = await seedDemo(t.db, { scale: 200, target: 'test' });
    const want = {
      ...expected(200),
      'interviews.cancelled-blocking': 0,
      'recruiting.double-booking': 0,
      'outbox.duplicates': 0,
      'chats.missing': 0,
    };
    expect(reported(report)).toEqual(want);
    expect(report.planted['outbox.duplicates'].note).toMatch(/refused by outbox_notifications_null_candidate_uidx/);
    expect(report.planted['recruiting.double-booking'].note).toMatch(/refused by slots_candidate_recruiter_active_uidx/);
    expect(report.planted['interviews.cancelled-blocking'].note).toMatch(/predicate/);
    expect(report.planted['chats.missing'].note).toMatch(/got a room from a chat trigger/);
    expect(await independentCounts(t.db, 'now()', 'column')).toEqual(want);
    // The fix's candidate column agrees with the payload the legacy writers filled.
    expect(await scalar(t.db, `SELECT count(*) FROM notification_logs WHERE candidate_tg_id IS DISTINCT FROM (payload::jsonb ->> 'candidate_tg_id')::bigint`)).toBe(0);
  });
});
