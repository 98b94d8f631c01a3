/**
 * `bookops chats verify` end to end (built binary): reports, the backfill creates exactly the
 * missing rooms once, a second run creates none, two runs at once create no duplicate, a run
 * killed half-way resumes and ends with every room exactly once, a held lock refuses (exit 4)
 * naming the holder, and a database without the triggers refuses (exit 4). `npm run build` first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_OBJECTS } from '../../src/platform/chat-objects.js';
import { CHAT_BACKFILL_LOCK } from '../../src/data/advisory-lock.js';
import { invokedOn, runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { fixedSchema, legacySchema, runnerDepsFor } from '../fixtures/schema.js';
import { migrateUp } from '../../src/migrate/runner.js';

/** 20 teachers, 400 students, 600 lessons, one booking each: active, cancelled, deleted, or a teacher's own. */
const BOOKINGS = `
INSERT INTO users (id, email, role)
  SELECT md5('user' || g)::uuid, 'user' || g || '@example.invalid', CASE WHEN g <= 20 THEN 'teacher' ELSE 'student' END
  FROM generate_series(1, 420) g;
INSERT INTO lessons (id, teacher_id, student_id, end_time, deleted_at)
  SELECT md5('lesson' || g)::uuid, md5('user' || (1 + g % 20))::uuid, md5('user' || (21 + g % 400))::uuid,
         now() - interval '1 hour', CASE WHEN g % 50 = 0 THEN now() END
  FROM generate_series(1, 600) g;
INSERT INTO bookings (id, lesson_id, student_id, status, deleted_at)
  SELECT md5('booking' || g)::uuid, md5('lesson' || g)::uuid,
         CASE WHEN g % 37 = 0 THEN md5('user' || (1 + g % 20))::uuid ELSE md5('user' || (21 + g % 400))::uuid END,
         CASE WHEN g % 5 = 0 THEN 'cancelled' WHEN g % 3 = 0 THEN 'ACTIVE' ELSE 'active' END,
         CASE WHEN g % 41 = 0 THEN now() END
  FROM generate_series(1, 600) g;`;

const CHAT_PAIR = ['00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002'];

/** What a DBA would count: distinct (teacher, student) pairs of live active bookings without a room. */
async function expectedMissing(t: TestDatabase): Promise<{ pairs: number; bookings: number }> {
  const { rows } = await t.db.raw(`
    SELECT count(DISTINCT (l.teacher_id, b.student_id))::int AS pairs, count(*)::int AS bookings
    FROM bookings b JOIN lessons l ON l.id = b.lesson_id
    WHERE lower(b.status) = 'active' AND b.deleted_at IS NULL AND l.deleted_at IS NULL AND l.teacher_id <> b.student_id
      AND NOT EXISTS (SELECT FROM chat_rooms r WHERE r.teacher_id = l.teacher_id AND r.student_id = b.student_id)`);
  return rows[0];
}

async function roomStats(t: TestDatabase): Promise<{ rooms: number; pairs: number; self: number }> {
  const { rows } = await t.db.raw(
    'SELECT count(*)::int AS rooms, count(DISTINCT (teacher_id, student_id))::int AS pairs, count(*) FILTER (WHERE teacher_id = student_id)::int AS self FROM chat_rooms',
  );
  return rows[0];
}

async function checkpoint(t: TestDatabase): Promise<{ batches: number; created: number; finished: boolean } | undefined> {
  const { rows } = await t.db.raw(`SELECT to_regclass('bookops_backfill_progress') IS NOT NULL AS present`);
  if (!rows[0].present) return undefined;
  const r = await t.db.raw(`SELECT batches, created::int AS created, finished_at IS NOT NULL AS finished FROM bookops_backfill_progress WHERE job = 'chats.backfill'`);
  return r.rows[0];
}

/** Legacy schema and data, then the migrations (the trigger comes first; old bookings miss their rooms). */
async function databaseWithMissingRooms(label: string): Promise<TestDatabase> {
  const t = await createTestDatabase(label);
  await legacySchema(t);
  await t.db.raw(BOOKINGS);
  await fixedSchema(t);
  return t;
}

async function until(what: string, probe: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('bookops chats verify (e2e)', () => {
  const dbs: TestDatabase[] = [];
  let legacy: TestDatabase;
  let main: TestDatabase;
  let missing: { pairs: number; bookings: number };

  beforeAll(async () => {
    [legacy, main] = await Promise.all([createTestDatabase('chats_legacy'), databaseWithMissingRooms('chats_main')]);
    dbs.push(legacy, main);
    await legacySchema(legacy);
    await legacy.db.raw(BOOKINGS);
    missing = await expectedMissing(main);
  });
  afterAll(async () => Promise.all(dbs.map((t) => t.drop())));

  it('the fixture really has missing rooms', () => {
    expect(missing.pairs).toBeGreaterThan(100);
    expect(missing.bookings).toBeGreaterThan(missing.pairs);
  });

  it('--check-only (the default) reports the objects and N missing pairs, and exits 1', async () => {
    const r = await runCli(['--db', main.url, 'chats', 'verify', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.mode).toBe('check-only');
    expect(j.objects.map((o: { name: string; state: string }) => [o.name, o.state])).toEqual([
      [CHAT_OBJECTS.triggerFunction, 'ok'],
      [CHAT_OBJECTS.backfillFunction, 'ok'],
      [CHAT_OBJECTS.insertTrigger, 'ok'],
      [CHAT_OBJECTS.updateTrigger, 'ok'],
      ['chat_rooms (teacher_id, student_id)', 'ok'],
    ]);
    expect(j.missing).toMatchObject({ pairs: missing.pairs, bookings: missing.bookings });
    expect(j.duplicates.pairs).toBe(0);
    const text = await runCli(['--db', main.url, 'chats', 'verify', '--check-only']);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`pairs with an active booking and no room: ${missing.pairs} (${missing.bookings} booking(s))`);
  });

  it('--backfill --dry-run shows what it would create and changes nothing', async () => {
    const before = await roomStats(main);
    const r = await runCli(['--db', main.url, 'chats', 'verify', '--backfill', '--dry-run', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.dryRun).toMatchObject({ wouldCreate: { pairs: missing.pairs, bookings: missing.bookings }, wouldRefuse: null, wouldResumeFrom: null });
    expect(await roomStats(main)).toEqual(before);
    expect(await checkpoint(main)).toBeUndefined();
  });

  it('--backfill creates exactly the N missing rooms; a second run creates none', async () => {
    const before = await roomStats(main);
    const r = await runCli(['--db', main.url, 'chats', 'verify', '--backfill', '--batch-size', '37', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.backfill).toMatchObject({
      created: missing.pairs,
      planned: { pairs: missing.pairs, bookings: missing.bookings },
      batches: Math.ceil(missing.bookings / 37),
      resumedFrom: null,
    });
    expect(j).toMatchObject({ ok: true, before: { missingPairs: missing.pairs }, missing: { pairs: 0 }, duplicates: { pairs: 0 } });
    // Re-checked only where the backfill could change something: its planned bookings, by key.
    expect(j.recheckedAfterBackfill).toEqual({
      missing: `among the ${missing.bookings} booking(s) the backfill planned (the trigger gives bookings activated meanwhile their room)`,
      duplicates: 'none possible: the unique key on (teacher_id, student_id) keeps one room per pair',
    });
    const after = await roomStats(main);
    expect(after.rooms).toBe(before.rooms + missing.pairs);
    expect(after.pairs).toBe(after.rooms);
    expect(after.self).toBe(0);

    const again = await runCli(['--db', main.url, 'chats', 'verify', '--backfill', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout).backfill).toMatchObject({ created: 0, planned: { pairs: 0, bookings: 0 }, batches: 0, resumedFrom: null });
    expect(await roomStats(main)).toEqual(after);
    expect((await runCli(['--db', main.url, 'chats', 'verify'])).code).toBe(0);
  });

  it('--verbose shows the queries and their timings', async () => {
    const t = await databaseWithMissingRooms('chats_verbose');
    dbs.push(t);
    const want = await expectedMissing(t);
    const r = await runCli(['--db', t.url, '--verbose', 'chats', 'verify', '--backfill', '--batch-size', '500']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\[\d+\.\d ms\] SELECT coalesce\(array_agg\(m.booking_id::text ORDER BY m.booking_id\), '\{\}'\) AS booking_ids/);
    expect(r.stderr).toContain(`plan: ${want.pairs} pair(s) without a room, ${want.bookings} active booking(s)`);
    expect(r.stderr).toMatch(/\[\d+\.\d ms\] SELECT "create_chats_for_active_bookings"\(CAST\(/);
    expect(r.stderr).toContain(`batch 1: ${want.bookings} booking(s), created ${want.pairs}, up to `);
  });

  it('two backfills started together create every room once', async () => {
    const t = await databaseWithMissingRooms('chats_concurrent');
    dbs.push(t);
    const want = await expectedMissing(t);
    const before = await roomStats(t);
    const runs = await Promise.all(
      [1, 2].map(() => runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--batch-size', '10', '--lock-wait', '2min', '--json'])),
    );
    expect(runs.map((r) => r.code), runs.map((r) => r.stderr).join('\n')).toEqual([0, 0]);
    const created = runs.map((r) => JSON.parse(r.stdout).backfill.created as number);
    expect(created.reduce((a, b) => a + b, 0)).toBe(want.pairs);
    const after = await roomStats(t);
    expect(after.rooms).toBe(before.rooms + want.pairs);
    expect(after.pairs).toBe(after.rooms);
  });

  it('SIGTERM during a backfill: exit 143, what stays committed and how to resume, one JSON document; no batch starts after it', async () => {
    const t = await databaseWithMissingRooms('chats_sigterm');
    dbs.push(t);
    const want = await expectedMissing(t);
    const before = await roomStats(t);
    let pid = 0;
    // Long pauses: the signal comes while the run waits between two batches.
    const slow = runCli(['--db', t.url, '--json', 'chats', 'verify', '--backfill', '--batch-size', '2', '--pause', '4s'], { onSpawn: (p) => (pid = p) });
    await until('a committed batch', async () => ((await checkpoint(t))?.batches ?? 0) >= 1);
    const atSignal = (await checkpoint(t))!.created;
    process.kill(pid, 'SIGTERM');
    const r = await slow;
    expect(r.code, r.stderr).toBe(143);
    const { error } = JSON.parse(r.stdout);
    const rooms = (await roomStats(t)).rooms - before.rooms;
    // Nothing after the signal: the pause ended without a further batch.
    expect(rooms).toBe(atSignal);
    expect(rooms).toBeGreaterThan(0);
    expect(rooms).toBeLessThan(want.pairs);
    // What it says it committed is what the database holds.
    expect(error).toMatchObject({ code: 'interrupted', exitCode: 143, signal: 'SIGTERM', committedRooms: rooms });
    expect((await checkpoint(t))?.created).toBe(rooms);
    expect(r.stderr).toContain(
      `bookops: interrupted by SIGTERM: the backfill stopped; already committed: ${rooms} room(s) in ${error.committedBatches} batch(es) of this run (no further batch was started); ${invokedOn(t.url)} chats verify --backfill resumes where it stopped`,
    );
  });

  it('a backfill killed half-way resumes, and every room exists exactly once; a held lock refuses with exit 4', async () => {
    const t = await databaseWithMissingRooms('chats_killed');
    dbs.push(t);
    const want = await expectedMissing(t);
    const before = await roomStats(t);
    let pid = 0;
    const slow = runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--batch-size', '2', '--pause', '200ms'], {
      onSpawn: (p) => (pid = p),
    });
    await until('three committed batches', async () => ((await checkpoint(t))?.batches ?? 0) >= 3);

    // While it runs, a second backfill waits for the lock, then refuses naming the holder.
    const refused = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--lock-wait', '1s']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/another chat-room backfill holds the chat backfill lock: pid \d+ \(bookops, /);
    const { rows: holders } = await t.db.raw(
      'SELECT count(*)::int AS n FROM pg_locks WHERE locktype = ? AND classid = ? AND objid = ? AND granted',
      ['advisory', CHAT_BACKFILL_LOCK.key1, CHAT_BACKFILL_LOCK.key2],
    );
    expect(holders[0].n).toBe(1);

    process.kill(pid, 'SIGKILL');
    const killed = await slow;
    expect(killed.signal).toBe('SIGKILL');
    // Until the server has noticed: no session of the killed run is still in a transaction.
    await until('the killed sessions to end', async () => {
      const { rows } = await t.db.raw(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'",
      );
      return rows[0].n === 0;
    });
    // Read after the kill (batches kept committing until then), in one statement: one snapshot.
    const { rows: snap } = await t.db.raw(`
      SELECT p.created::int AS created, p.finished_at IS NOT NULL AS finished, (SELECT count(*)::int FROM chat_rooms) AS rooms
      FROM bookops_backfill_progress p WHERE p.job = 'chats.backfill'`);
    const partial = snap[0] as { created: number; finished: boolean; rooms: number };
    expect(partial.finished).toBe(false);
    expect(partial.rooms).toBeGreaterThan(before.rooms);
    expect(partial.rooms).toBeLessThan(before.rooms + want.pairs);
    // The checkpoint and the rooms committed together.
    expect(partial.rooms - before.rooms).toBe(partial.created);

    const resumed = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--batch-size', '50', '--json']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`: ${partial.created} room(s) created in `);
    expect(resumed.stderr).toMatch(/resuming the backfill started \S+: \d+ room\(s\) created in \d+ batch\(es\) before it stopped; planning what is still missing/);
    const j = JSON.parse(resumed.stdout);
    expect(j.backfill.resumedFrom).toMatchObject({ created: partial.created });
    // The new plan holds only what the killed run had not done.
    expect(j.backfill.planned.pairs).toBe(want.pairs - partial.created);
    expect(j.backfill.created).toBe(want.pairs - partial.created);
    expect(j.backfill.totalCreated).toBe(want.pairs);
    const after = await roomStats(t);
    expect(after.rooms).toBe(before.rooms + want.pairs);
    expect(after.pairs).toBe(after.rooms);
    expect((await checkpoint(t))?.finished).toBe(true);
  });

  it('refuses to backfill without the trigger and function (exit 4: migrate up first)', async () => {
    const before = await roomStats(legacy);
    const check = await runCli(['--db', legacy.url, 'chats', 'verify', '--json']);
    expect(check.code).toBe(1);
    // The legacy schema has the unique key (its UNIQUE constraint), and nothing of 0006.
    const states = JSON.parse(check.stdout).objects.map((o: { kind: string; state: string }) => [o.kind, o.state]);
    expect(states).toEqual([['function', 'missing'], ['function', 'missing'], ['trigger', 'missing'], ['trigger', 'missing'], ['key', 'ok']]);
    const r = await runCli(['--db', legacy.url, 'chats', 'verify', '--backfill']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot backfill: function create_chat_on_booking_active missing, function create_chats_for_active_bookings missing, .* \(node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate up; the triggers must be in place before the backfill/);
    const dry = JSON.parse((await runCli(['--db', legacy.url, 'chats', 'verify', '--backfill', '--dry-run', '--json'])).stdout);
    expect(dry.dryRun.wouldRefuse).toMatch(/cannot backfill/);
    expect(await roomStats(legacy)).toEqual(before);
  });

  it("refuses to backfill with 0006's backfill function (0007 pending), before taking the lock or writing a checkpoint", async () => {
    const t = await createTestDatabase('chats_at_0006');
    dbs.push(t);
    await legacySchema(t);
    await t.db.raw(BOOKINGS);
    await migrateUp(await runnerDepsFor(t), { to: '0006_lessons_chat_triggers' });
    const before = await roomStats(t);
    const r = await runCli(['--db', t.url, 'chats', 'verify', '--backfill']);
    expect(r.code, r.stderr).toBe(4);
    expect(r.stderr).toMatch(/cannot backfill: function create_chats_for_active_bookings differs \(node bin\/bookops\.js --db (?:'[^']*'|\S+) migrate up; /);
    expect(await checkpoint(t)).toBeUndefined();
    expect(await roomStats(t)).toEqual(before);
    const dry = JSON.parse((await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--dry-run', '--json'])).stdout);
    expect(dry.dryRun.wouldRefuse).toMatch(/create_chats_for_active_bookings differs/);
    expect(dry.objects.find((o: { name: string }) => o.name === CHAT_OBJECTS.backfillFunction)).toMatchObject({ state: 'differs', repair: `${invokedOn(t.url)} migrate up` });
    // What the refusal says to do is enough.
    await fixedSchema(t);
    const after = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(JSON.parse(after.stdout).backfill.resumedFrom).toBeNull();
  });

  it('without the unique key on chat_rooms (teacher_id, student_id): reported, and the backfill refuses rather than create rooms twice', async () => {
    const t = await databaseWithMissingRooms('chats_nokey');
    dbs.push(t);
    await t.db.raw('ALTER TABLE chat_rooms DROP CONSTRAINT chat_rooms_teacher_id_student_id_key');
    const before = await roomStats(t);
    const check = await runCli(['--db', t.url, 'chats', 'verify', '--json']);
    expect(check.code).toBe(1);
    const key = JSON.parse(check.stdout).objects.find((o: { kind: string }) => o.kind === 'key');
    expect(key).toMatchObject({ name: 'chat_rooms (teacher_id, student_id)', state: 'missing' });
    expect(key.repair).toMatch(/CREATE UNIQUE INDEX CONCURRENTLY chat_rooms_teacher_id_student_id_key ON chat_rooms \(teacher_id, student_id\)/);
    const r = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--batch-size', '10']);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot backfill: key chat_rooms \(teacher_id, student_id\) missing \(.*CREATE UNIQUE INDEX CONCURRENTLY/);
    expect(await roomStats(t)).toEqual(before);
    expect(await checkpoint(t)).toBeUndefined();
    const audit = JSON.parse((await runCli(['--db', t.url, 'audit', 'schema.chat-trigger', '--json'])).stdout);
    expect(audit.checks[0]).toMatchObject({ status: 'finding', count: 1 });
    expect(audit.checks[0].repair).toMatch(/CREATE UNIQUE INDEX CONCURRENTLY/);

    // A deferrable key is no key for ON CONFLICT (it refuses it as an arbiter): it differs.
    await t.db.raw('ALTER TABLE chat_rooms ADD CONSTRAINT rooms_pair UNIQUE (teacher_id, student_id) DEFERRABLE');
    const deferrable = JSON.parse((await runCli(['--db', t.url, 'chats', 'verify', '--json'])).stdout).objects.find((o: { kind: string }) => o.kind === 'key');
    expect(deferrable).toMatchObject({ state: 'differs' });
    expect(deferrable.problems.join()).toMatch(/constraint rooms_pair: DEFERRABLE/);
    expect(deferrable.repair).toMatch(/CREATE UNIQUE INDEX CONCURRENTLY chat_rooms_teacher_id_student_id_key .*; then ALTER TABLE chat_rooms DROP CONSTRAINT rooms_pair$/);
    expect((await runCli(['--db', t.url, 'chats', 'verify', '--backfill'])).code).toBe(4);

    // Any unique index on the two columns will do, whatever its name.
    await t.db.raw('ALTER TABLE chat_rooms DROP CONSTRAINT rooms_pair');
    await t.db.raw('CREATE UNIQUE INDEX site_rooms_by_pair ON chat_rooms (student_id, teacher_id)');
    const fixed = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--json']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(JSON.parse(fixed.stdout).objects.find((o: { kind: string }) => o.kind === 'key')).toMatchObject({ state: 'ok', notes: ['UNIQUE, index site_rooms_by_pair'] });
    const after = await roomStats(t);
    expect(after.pairs).toBe(after.rooms);
  });

  it('refuses to backfill while a trigger is disabled', async () => {
    await main.db.raw(`ALTER TABLE bookings DISABLE TRIGGER ${CHAT_OBJECTS.updateTrigger}`);
    try {
      const r = await runCli(['--db', main.url, 'chats', 'verify', '--backfill']);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/ALTER TABLE bookings ENABLE TRIGGER booking_create_chat_update/);
      const check = JSON.parse((await runCli(['--db', main.url, 'chats', 'verify', '--json'])).stdout);
      expect(check.ok).toBe(false);
      expect(check.objects.find((o: { name: string }) => o.name === CHAT_OBJECTS.updateTrigger)).toMatchObject({ state: 'disabled', enabled: false });
    } finally {
      await main.db.raw(`ALTER TABLE bookings ENABLE TRIGGER ${CHAT_OBJECTS.updateTrigger}`);
    }
  });

  it('a trigger whose WHEN condition is not the migration\'s differs: WHEN (false) never fires', async () => {
    const { rows } = await main.db.raw('SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgname = ?', [CHAT_OBJECTS.insertTrigger]);
    await main.db.raw(
      `CREATE OR REPLACE TRIGGER ${CHAT_OBJECTS.insertTrigger} AFTER INSERT ON bookings FOR EACH ROW WHEN (false) EXECUTE FUNCTION ${CHAT_OBJECTS.triggerFunction}()`,
    );
    try {
      const r = await runCli(['--db', main.url, 'chats', 'verify', '--json']);
      expect(r.code).toBe(1);
      const trigger = JSON.parse(r.stdout).objects.find((o: { name: string }) => o.name === CHAT_OBJECTS.insertTrigger);
      expect(trigger).toMatchObject({ state: 'differs', enabled: true });
      expect(trigger.problems.join()).toMatch(/WHEN \(false\), expected WHEN \(lower\(NEW\.status\) = 'active'\)/);
      const audit = JSON.parse((await runCli(['--db', main.url, 'audit', 'schema.chat-trigger', '--json'])).stdout);
      expect(audit.checks[0].sample).toEqual([expect.objectContaining({ name: CHAT_OBJECTS.insertTrigger, state: 'differs' })]);
    } finally {
      await main.db.raw(rows[0].def.replace(/^CREATE TRIGGER/, 'CREATE OR REPLACE TRIGGER'));
    }
    // Put back as the migration made it, the comparison agrees again.
    const states = JSON.parse((await runCli(['--db', main.url, 'chats', 'verify', '--json'])).stdout).objects.map((o: { state: string }) => o.state);
    expect(states.every((s: string) => s === 'ok')).toBe(true);
  });

  it('reports soft-deleted rooms that block a pair, which the backfill cannot fix', async () => {
    const { rows } = await main.db.raw(
      `UPDATE chat_rooms SET deleted_at = now() WHERE id = (SELECT id FROM chat_rooms WHERE teacher_id <> student_id ORDER BY id LIMIT 1) RETURNING id, teacher_id, student_id`,
    );
    const { id: roomId, ...pair } = rows[0];
    await main.db.raw('INSERT INTO messages (chat_room_id, sender_id, message_text) VALUES (?, ?, ?)', [roomId, pair.teacher_id, 'hello']);
    try {
      const r = await runCli(['--db', main.url, 'chats', 'verify', '--backfill', '--json']);
      expect(r.code).toBe(1);
      const j = JSON.parse(r.stdout);
      expect(j.backfill.created).toBe(0);
      expect(j.blockedByDeleted.pairs).toBe(1);
      expect(j.blockedByDeleted.sample[0]).toMatchObject(pair);
      // A room with messages cannot be deleted, so the repair offers restoring it first.
      await expect(main.db.raw('DELETE FROM chat_rooms WHERE id = ?', [roomId])).rejects.toMatchObject({ code: '23503' });
      const audit = JSON.parse((await runCli(['--db', main.url, 'audit', 'chats.blocked-by-deleted', '--json'])).stdout);
      expect(audit.checks[0].repair).toMatch(/^restore the room .*its messages come back with it\); only a room without messages can be deleted instead/);
    } finally {
      await main.db.raw('DELETE FROM messages WHERE chat_room_id = ?', [roomId]);
      await main.db.raw('UPDATE chat_rooms SET deleted_at = NULL WHERE id = ?', [roomId]);
    }
  });

  it('says so when the lessons module is absent', async () => {
    const t = await createTestDatabase('chats_none');
    dbs.push(t);
    const r = await runCli(['--db', t.url, 'chats', 'verify']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the lessons module is absent .*nothing was verified/);
  });

  it('needs only the tables it reads: without messages it verifies and backfills; without bookings and lessons it checks the rest', async () => {
    const t = await databaseWithMissingRooms('chats_no_messages');
    dbs.push(t);
    await t.db.raw('DROP TABLE messages');
    const want = await expectedMissing(t);
    const check = await runCli(['--db', t.url, 'chats', 'verify', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toMatchObject({ notChecked: [], missing: { pairs: want.pairs } });
    const backfill = await runCli(['--db', t.url, 'chats', 'verify', '--backfill', '--json']);
    expect(backfill.code, backfill.stderr).toBe(0);
    expect(JSON.parse(backfill.stdout).backfill.created).toBe(want.pairs);

    // Only users and chat_rooms: the duplicates are checked; the rest is reported not checked.
    const partial = await createTestDatabase('chats_rooms_only');
    dbs.push(partial);
    await partial.db.raw(`
      CREATE TABLE users (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
      CREATE TABLE chat_rooms (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), teacher_id uuid, student_id uuid, created_at timestamp DEFAULT now(), deleted_at timestamp);
      INSERT INTO chat_rooms (teacher_id, student_id) VALUES ('${CHAT_PAIR[0]}', '${CHAT_PAIR[1]}'), ('${CHAT_PAIR[0]}', '${CHAT_PAIR[1]}')`);
    const r = await runCli(['--db', partial.url, 'chats', 'verify', '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j.duplicates.pairs).toBe(1);
    expect(j.notChecked).toEqual([
      { part: 'objects', absentTables: ['bookings'] },
      { part: 'missing', absentTables: ['bookings', 'lessons'] },
      { part: 'blockedByDeleted', absentTables: ['bookings', 'lessons'] },
    ]);
    expect(j.problems).toContain('not checked: pairs with an active booking and no room (no table bookings, lessons)');
    const text = await runCli(['--db', partial.url, 'chats', 'verify']);
    expect(text.stdout).toContain('pairs with an active booking and no room: not checked (no table bookings, lessons)');
    expect(text.stdout).toContain('pairs with duplicate rooms: 1');
    const refused = await runCli(['--db', partial.url, 'chats', 'verify', '--backfill']);
    expect(refused.code).toBe(7);
    expect(refused.stderr).toMatch(/cannot backfill: no table bookings, lessons/);
  });

  it.each([
    [['chats', 'verify', '--backfill', '--check-only'], /exclude each other/],
    [['chats', 'verify', '--batch-size', '0'], /must be between 1 and/],
    [['chats', 'verify', '--lock-wait', 'forever'], /expected a duration/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const r = await runCli(['--db', main.url, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
