/**
 * `bookops chats metrics` (built binary): the lag is measured per (teacher, student) pair, both
 * sides joined (the seed's query joined the teacher only); Prometheus text exposition parsed
 * line by line; the textfile replaced atomically. `npm run build` first.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { fixedSchema } from '../fixtures/schema.js';

const u = (n: number) => `00000000-0000-0000-0000-${String(n).padStart(12, '0')}`;
const T1 = u(1);
const T2 = u(2);
const T3 = u(3);

/**
 * B = midnight today (database time). T1 has two students: S11 activated 20 s before B and got
 * its room 30 s after that activation; S12 activated 4 h before its room. A teacher-only join
 * would measure S11's room against S12's activation too. T2/S13: yesterday, 60 s. T2/S14: a
 * deleted room. T2/S15: the booking changed after its room was created (no lag). T3/S16: a room
 * from 30 days ago (outside the 7-day window). T3/S17: an active booking without a room.
 */
const DATA = `
ALTER TABLE bookings DISABLE TRIGGER USER;
INSERT INTO users (id, email) SELECT ('00000000-0000-0000-0000-' || lpad(g::text, 12, '0'))::uuid, 'u' || g || '@example.invalid' FROM generate_series(1, 17) g;
INSERT INTO lessons (id, teacher_id, student_id, end_time) VALUES
  ('${u(101)}', '${T1}', '${u(11)}', current_date - interval '60 seconds'),
  ('${u(102)}', '${T1}', '${u(12)}', current_date + interval '10 seconds'),
  ('${u(103)}', '${T2}', '${u(13)}', current_date - interval '1 day 120 seconds'),
  ('${u(104)}', '${T2}', '${u(14)}', current_date),
  ('${u(105)}', '${T2}', '${u(15)}', current_date + interval '1 year'),
  ('${u(106)}', '${T3}', '${u(16)}', current_date - interval '31 days'),
  ('${u(107)}', '${T3}', '${u(17)}', current_date);
INSERT INTO bookings (lesson_id, student_id, status, updated_at) VALUES
  ('${u(101)}', '${u(11)}', 'active', current_date - interval '20 seconds'),
  ('${u(102)}', '${u(12)}', 'ACTIVE', current_date + interval '20 seconds' - interval '4 hours'),
  ('${u(103)}', '${u(13)}', 'active', current_date - interval '1 day 60 seconds'),
  ('${u(104)}', '${u(14)}', 'active', current_date - interval '1 hour'),
  ('${u(105)}', '${u(15)}', 'active', current_date + interval '1 hour'),
  ('${u(106)}', '${u(16)}', 'active', current_date - interval '30 days 1 hour'),
  ('${u(107)}', '${u(17)}', 'active', current_date),
  ('${u(101)}', '${u(12)}', 'cancelled', current_date - interval '10 days');
INSERT INTO chat_rooms (teacher_id, student_id, created_at, deleted_at) VALUES
  ('${T1}', '${u(11)}', current_date + interval '10 seconds', NULL),
  ('${T1}', '${u(12)}', current_date + interval '20 seconds', NULL),
  ('${T2}', '${u(13)}', current_date - interval '1 day', NULL),
  ('${T2}', '${u(14)}', current_date + interval '30 seconds', current_date + interval '1 minute'),
  ('${T2}', '${u(15)}', current_date + interval '40 seconds', NULL),
  ('${T3}', '${u(16)}', current_date - interval '30 days', NULL);
ALTER TABLE bookings ENABLE TRIGGER USER;`;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text exposition format: HELP and TYPE before each family's samples. */
function parseExposition(text: string): { help: Map<string, string>; type: Map<string, string>; samples: Sample[] } {
  const help = new Map<string, string>();
  const type = new Map<string, string>();
  const samples: Sample[] = [];
  expect(text.endsWith('\n')).toBe(true);
  for (const line of text.slice(0, -1).split('\n')) {
    let m: RegExpExecArray | null;
    if ((m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line))) {
      expect(help.has(m[1])).toBe(false);
      help.set(m[1], m[2]);
    } else if ((m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line))) {
      expect(help.has(m[1])).toBe(true);
      type.set(m[1], m[2]);
    } else if ((m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)$/.exec(line))) {
      expect(type.has(m[1]), `TYPE before ${m[1]}`).toBe(true);
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
      const value = m[3] === 'NaN' ? NaN : m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]);
      expect(m[3] === 'NaN' || Number.isFinite(value) || Math.abs(value) === Infinity, line).toBe(true);
      samples.push({ name: m[1], labels, value });
    } else {
      throw new Error(`not exposition format: ${JSON.stringify(line)}`);
    }
  }
  return { help, type, samples };
}

const value = (samples: Sample[], name: string) => samples.find((s) => s.name === name)?.value;

describe('bookops chats metrics (e2e)', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('chats_metrics');
    await fixedSchema(t);
    await t.db.raw(DATA);
    dir = await mkdtemp(join(tmpdir(), 'bookops-metrics-'));
  });
  afterAll(async () => {
    await t?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('measures the lag from activation per pair, teacher and student joined', async () => {
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      since: 'activation',
      windowSeconds: 604_800,
      thresholdSeconds: 3600,
      roomsCreatedToday: 3,
      roomsTotal: 5,
      roomsInWindow: 4,
      lag: { samples: 3, avgSeconds: 4830, maxSeconds: 14_400, overThreshold: 1 },
      missingPairs: 1,
      missingBookings: 1,
    });
  });

  it('--since lesson-end, and the threshold', async () => {
    const j = JSON.parse((await runCli(['--db', t.url, 'chats', 'metrics', '--since', 'lesson-end', '--lag-threshold', '100s', '--json'])).stdout);
    expect(j.lag).toEqual({ samples: 3, avgSeconds: 66.667, maxSeconds: 120, overThreshold: 1 });
  });

  it('prints a table by default', async () => {
    const r = await runCli(['--db', t.url, 'chats', 'metrics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\| rooms created today +\| 3 +\|/);
    expect(r.stdout).toMatch(/\| max lag +\| 4h +\|/);
  });

  it('--format prometheus prints valid text exposition: bookops_up, then bookops_chat_*, every series labelled with its target', async () => {
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--format', 'prometheus']);
    expect(r.code).toBe(0);
    const { help, type, samples } = parseExposition(r.stdout);
    expect([...help.keys()][0]).toBe('bookops_up');
    expect([...help.keys()].slice(1).every((n) => n.startsWith('bookops_chat_'))).toBe(true);
    expect(value(samples, 'bookops_up')).toBe(1);
    const url = new URL(t.url);
    const target = `${url.username}@${url.hostname}:${url.port}${url.pathname}`;
    expect(samples.every((s) => s.labels.target === target)).toBe(true);
    expect([...type.values()].every((v) => v === 'gauge')).toBe(true);
    expect(samples.every((s) => help.has(s.name))).toBe(true);
    expect(value(samples, 'bookops_chat_rooms_created_today')).toBe(3);
    expect(value(samples, 'bookops_chat_lag_avg_seconds')).toBe(4830);
    expect(value(samples, 'bookops_chat_lag_max_seconds')).toBe(14_400);
    expect(value(samples, 'bookops_chat_lag_over_threshold')).toBe(1);
    expect(value(samples, 'bookops_chat_missing_pairs')).toBe(1);
    expect(samples.find((s) => s.name === 'bookops_chat_lag_avg_seconds')?.labels).toEqual({ target, since: 'activation' });
    const generated = value(samples, 'bookops_chat_metrics_generated_timestamp_seconds')!;
    expect(generated).toBeGreaterThan(1_600_000_000);
  });

  it('exposes an average over no rooms as NaN', async () => {
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--format', 'prometheus', '--window', '1ms']);
    const { samples } = parseExposition(r.stdout);
    expect(value(samples, 'bookops_chat_lag_samples')).toBe(0);
    expect(value(samples, 'bookops_chat_lag_avg_seconds')).toBeNaN();
  });

  it('--prometheus <file> replaces the file atomically (rename, no temporary file left)', async () => {
    const file = join(dir, 'bookops_chat.prom');
    await writeFile(file, '# old content\n');
    const oldInode = (await stat(file)).ino;
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--prometheus', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim()).toBe(`wrote ${file}`);
    const text = await readFile(file, 'utf8');
    expect(parseExposition(text).samples.length).toBeGreaterThan(10);
    expect((await stat(file)).ino).not.toBe(oldInode);
    expect((await stat(file)).mode & 0o777).toBe(0o644);
    expect(await readdir(dir)).toEqual(['bookops_chat.prom']);
    // For cron: --quiet writes nothing at all, so cron mails nothing.
    const quiet = await runCli(['--db', t.url, '--quiet', 'chats', 'metrics', '--prometheus', file]);
    expect([quiet.code, quiet.stdout, quiet.stderr]).toEqual([0, '', '']);
    const again = await runCli(['--db', t.url, 'chats', 'metrics', '--prometheus', file, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const json = JSON.parse(again.stdout);
    expect(json.written).toBe(file);
  });

  it('a file that cannot be written is an error, and nothing is left behind', async () => {
    const blocked = join(dir, 'blocked.prom');
    await mkdir(blocked);
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--prometheus', blocked]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write .*blocked\.prom/);
    expect((await readdir(dir)).sort()).toEqual(['blocked.prom', 'bookops_chat.prom']);
    const missingDir = await runCli(['--db', t.url, 'chats', 'metrics', '--prometheus', join(dir, 'nope', 'x.prom')]);
    expect(missingDir.code).toBe(2);
    expect(missingDir.stderr).toMatch(/directory .*nope does not exist \(ENOENT\)/);
  });

  it('a textfile path that cannot be written is a usage error before the database is even reached', async () => {
    // Nothing listens on port 1: connecting would be exit 3.
    const nowhere = 'postgres://bookops@127.0.0.1:1/nowhere';
    const missingDir = await runCli(['--db', nowhere, 'chats', 'metrics', '--prometheus', join(dir, 'nope', 'x.prom')]);
    expect([missingDir.code, missingDir.stderr]).toEqual([2, expect.stringMatching(/cannot write .*nope.x\.prom: directory .*nope does not exist/)]);
    await mkdir(join(dir, 'a-directory.prom'), { recursive: true });
    const isDir = await runCli(['--db', nowhere, 'chats', 'metrics', '--prometheus', join(dir, 'a-directory.prom')]);
    expect([isDir.code, isDir.stderr]).toEqual([2, expect.stringMatching(/a-directory\.prom is a directory \(EISDIR\)/)]);
    await rm(join(dir, 'a-directory.prom'), { recursive: true });
    expect((await runCli(['--db', nowhere, 'chats', 'metrics'])).code).toBe(3);
  });

  it('needs only the tables it reads: without messages it measures; without them it refuses (exit 4), the textfile left as it was', async () => {
    const other = await createTestDatabase('chats_metrics_tables');
    try {
      await fixedSchema(other);
      await other.db.raw('DROP TABLE messages');
      const r = await runCli(['--db', other.url, 'chats', 'metrics', '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ roomsTotal: 0, missingPairs: 0 });
      await other.db.raw('DROP TABLE chat_rooms');
      const file = join(dir, 'kept.prom');
      await writeFile(file, '# old content\n');
      const refused = await runCli(['--db', other.url, 'chats', 'metrics', '--prometheus', file]);
      expect(refused.code).toBe(7);
      expect(refused.stderr).toMatch(/no chat metrics on .*: no table chat_rooms \(chats metrics reads bookings, lessons, chat_rooms\)/);
      expect(await readFile(file, 'utf8')).toBe('# old content\n');
      await rm(file);
    } finally {
      await other.drop();
    }
  });

  it.each([
    ['0', "option '--window <duration>': '0' must be longer than 0"],
    ['0s', "option '--window <duration>': '0s' must be longer than 0"],
    ['soon', "option '--window <duration>': 'soon' expected a duration"],
  ])('--window %s is refused in one line, exit 2', async (value, message) => {
    const r = await runCli(['--db', t.url, 'chats', 'metrics', '--window', value]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`bookops: ${message}`);
  });

  it('--format prometheus with --json is a usage error', async () => {
    const r = await runCli(['--db', t.url, '--json', 'chats', 'metrics', '--format', 'prometheus']);
    expect(r.code).toBe(2);
  });
});
