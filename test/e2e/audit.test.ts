/**
 * `bookops audit` end to end: the built binary, its exit codes, its JSON, --fail-on, thresholds
 * from the command line and a config file, skipped modules. Run `npm run build` first.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECTS_LEGACY, PLANTED_LEGACY } from '../fixtures/audit-data.js';
import { spawn } from 'node:child_process';
import { BIN, cleanEnv, runCli } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';
import { fixedSchema, legacySchema } from '../fixtures/schema.js';

interface AuditJson {
  kind: string;
  healthy: boolean;
  exitCode: number;
  failOn: string;
  reasons: string[];
  summary: { selected: number; ran: number; ok: number; tolerated: number; skipped: number; findings: number };
  modules: { present: string[]; absent: Record<string, string[]> };
  checks: Array<{
    id: string;
    status: string;
    tolerated: boolean;
    count: number;
    sample: unknown[];
    severity: string;
    repair: string;
    thresholds: Record<string, { value: number }>;
    reason?: string;
  }>;
}

const parse = (stdout: string) => JSON.parse(stdout) as AuditJson;
const byId = (j: AuditJson) => Object.fromEntries(j.checks.map((c) => [c.id, c]));

describe('bookops audit (e2e)', () => {
  let legacy: TestDatabase;
  let warnOnly: TestDatabase;
  let lessonsOnly: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    [legacy, warnOnly, lessonsOnly] = await Promise.all(['audit_e2e_legacy', 'audit_e2e_warn', 'audit_e2e_lessons'].map(createTestDatabase));
    await Promise.all([legacySchema(legacy), fixedSchema(warnOnly), legacySchema(lessonsOnly)]);
    await legacy.db.raw(DEFECTS_LEGACY);
    // Only warnings: one outbox row locked 20 minutes ago.
    await warnOnly.db.raw(`INSERT INTO outbox_notifications (type, status, created_at, locked_at) VALUES ('remind', 'pending', now() - interval '1 hour', now() - interval '20 minutes')`);
    // A database holding the lessons module only.
    await lessonsOnly.db.raw(`DROP TABLE interviews, time_slots, slot_reminder_jobs, notification_logs, outbox_notifications, slots, recruiters,
      whatsapp_messages, conversations, broadcast_recipients, broadcasts, bots, whatsapp_numbers`);
    dir = await mkdtemp(join(tmpdir(), 'bookops-audit-'));
  });
  afterAll(async () => {
    await Promise.all([legacy, warnOnly, lessonsOnly].map((t) => t?.drop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('--list needs no database and names every check', async () => {
    const r = await runCli(['audit', '--list', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.checks.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining(Object.keys(PLANTED_LEGACY)));
    expect(list.checks.find((c: { id: string }) => c.id === 'outbox.stuck').thresholds.map((t: { name: string }) => t.name)).toEqual([
      'locked-for',
      'pending-for',
      'min-count',
    ]);
  });

  it('--list shows min-count, default 1, for every check but the informational ones', async () => {
    const r = await runCli(['audit', '--list', '--json']);
    const checks = JSON.parse(r.stdout).checks as Array<{ id: string; severity: string; thresholds: Array<{ name: string; default: number; kind: string; description: string }> }>;
    const minCount = (c: (typeof checks)[number]) => c.thresholds.find((t) => t.name === 'min-count');
    const [info, gated] = [checks.filter((c) => c.severity === 'info'), checks.filter((c) => c.severity !== 'info')];
    expect(info.map((c) => c.id)).toEqual(['recruiting.slot-status-counts']);
    expect(info.map(minCount)).toEqual([undefined]);
    expect(gated.length).toBe(checks.length - 1);
    for (const c of gated) {
      expect(minCount(c), c.id).toMatchObject({ default: 1, kind: 'integer' });
      expect(minCount(c)?.description, c.id).toMatch(/count reaches this.*tolerated/);
    }
    const text = await runCli(['audit', '--list']);
    expect(text.stdout).toMatch(/chats\.missing .*min-count=1/);
  });

  it('a reader that closes the pipe early (| head) does not turn the findings into exit 0', async () => {
    for (const format of [[], ['--json']]) {
      const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn('bash', ['-c', 'set -o pipefail; node "$0" "$@" | head -c 1 >/dev/null', BIN, '--db', legacy.url, ...format, 'audit'], {
          env: cleanEnv(),
        });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => resolve({ code, stderr }));
      });
      expect(r.code, `${format.join(' ')} ${r.stderr}`).toBe(1);
      expect(r.stderr).not.toMatch(/EPIPE|at .*\.js:\d+/);
    }
  });

  it('exits 1 with every finding and its sample in --json on the legacy database', async () => {
    const r = await runCli(['--db', legacy.url, 'audit', '--json']);
    expect(r.code).toBe(1);
    const j = parse(r.stdout);
    expect(j).toMatchObject({ kind: 'audit', healthy: false, exitCode: 1, failOn: 'error' });
    const checks = byId(j);
    for (const [id, count] of Object.entries(PLANTED_LEGACY)) {
      expect(checks[id]?.count, id).toBe(count);
      if (count > 0) expect(checks[id].sample.length, id).toBe(count);
    }
    expect(r.stderr).toBe('');
  });

  it('prints a plain table when not on a terminal: no colours, no spinner', async () => {
    const r = await runCli(['--db', legacy.url, 'audit', 'chats'], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\| FINDING \| chats\.missing +\| error +\| 1 +\|/);
    expect(r.stdout).toContain('not healthy');
    expect(r.stdout + r.stderr).not.toMatch(/\u001b\[/);
    expect(r.stderr).toBe('');
  });

  it('selects checks by id, module and group', async () => {
    const j = parse((await runCli(['--db', legacy.url, 'audit', '--json', 'outbox', 'chats.missing', 'whatsapp'])).stdout);
    expect(j.checks.map((c) => c.id)).toEqual([
      'outbox.duplicates',
      'outbox.stuck',
      'outbox.failed',
      'whatsapp.blocking-fks',
      'whatsapp.orphans',
      'chats.missing',
    ]);
  });

  it('--fail-on decides which severities exit 1', async () => {
    const quiet = await runCli(['--db', warnOnly.url, 'audit', '--json']);
    expect(quiet.code).toBe(0);
    expect(parse(quiet.stdout)).toMatchObject({ healthy: true, exitCode: 0 });
    expect(byId(parse(quiet.stdout))['outbox.stuck']).toMatchObject({ status: 'finding', count: 1 });
    const strict = await runCli(['--db', warnOnly.url, 'audit', '--fail-on', 'warn']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/not healthy: 1 check\(s\) with findings at or above warn: outbox\.stuck/);
  });

  it('thresholds from the command line and from a config file (the command line wins)', async () => {
    const flag = await runCli(['--db', warnOnly.url, 'audit', 'outbox.stuck', '--fail-on', 'warn', '--threshold', 'outbox.stuck.locked-for=30m', '--json']);
    expect(flag.code).toBe(0);
    expect(byId(parse(flag.stdout))['outbox.stuck']).toMatchObject({ count: 0, thresholds: { 'locked-for': { value: 1_800_000 } } });

    const config = join(dir, 'bookops.json');
    await writeFile(config, JSON.stringify({ audit: { failOn: 'warn', thresholds: { 'outbox.stuck': { 'locked-for': '1h' } } } }));
    const fromFile = await runCli(['--db', warnOnly.url, 'audit', '--config', config, '--json']);
    expect(fromFile.code).toBe(0);
    expect(parse(fromFile.stdout)).toMatchObject({ failOn: 'warn', healthy: true });
    const overridden = await runCli(['--db', warnOnly.url, 'audit', '--config', config, '--threshold', 'outbox.stuck.locked-for=10m']);
    expect(overridden.code).toBe(1);
    const viaEnv = await runCli(['--db', warnOnly.url, 'audit', '--json'], { env: { BOOKOPS_CONFIG: config } });
    expect(parse(viaEnv.stdout).failOn).toBe('warn');
  });

  it('min-count: a count below it is tolerated (ok, exit 0, still reported); without it the same data exits 1', async () => {
    const plain = await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--json']);
    expect(plain.code).toBe(1);
    expect(byId(parse(plain.stdout))['chats.missing']).toMatchObject({ status: 'finding', tolerated: false, count: 1, thresholds: { 'min-count': { value: 1 } } });

    const raised = await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--threshold', 'chats.missing.min-count=2', '--json']);
    expect(raised.code).toBe(0);
    const j = parse(raised.stdout);
    expect(j).toMatchObject({ healthy: true, exitCode: 0, reasons: [], summary: { ok: 1, tolerated: 1, findings: 0 } });
    expect(j.checks[0]).toMatchObject({ id: 'chats.missing', status: 'ok', tolerated: true, count: 1, thresholds: { 'min-count': { value: 2 } } });
    expect(j.checks[0].sample).toHaveLength(1);

    // At its count, it is a finding again.
    expect((await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--threshold', 'chats.missing.min-count=1'])).code).toBe(1);

    // The table says it was tolerated and still shows what was counted.
    const text = await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--threshold', 'chats.missing.min-count=2']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\| ok \(tolerated\) \| chats\.missing +\| error +\| 1 +\|/);
    expect(text.stdout).toContain('chats.missing: 1 (teacher, student) pairs with an active booking and no chat room (min-count=2)');
    expect(text.stdout).toContain('tolerated: below min-count 2, not a finding');
    expect(text.stdout).toMatch(/teacher_id=00000000-0000-0000-0000-0000000000a1 student_id=00000000-0000-0000-0000-0000000000b1 bookings=2/);
    expect(text.stdout).toMatch(/1 checks: 1 ok \(1 tolerated below their min-count\), 0 with findings/);
    expect(text.stdout).toContain('healthy');
  });

  it('min-count from a config file, nested or flat; the command line wins', async () => {
    const nested = join(dir, 'min-count.json');
    await writeFile(nested, JSON.stringify({ thresholds: { 'chats.missing': { 'min-count': 5 } } }));
    const fromFile = await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--config', nested, '--json']);
    expect(fromFile.code).toBe(0);
    expect(parse(fromFile.stdout).checks[0]).toMatchObject({ status: 'ok', tolerated: true, count: 1, thresholds: { 'min-count': { value: 5 } } });
    expect((await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--config', nested, '--threshold', 'chats.missing.min-count=1'])).code).toBe(1);

    const flat = join(dir, 'min-count-flat.json');
    await writeFile(flat, JSON.stringify({ audit: { thresholds: { 'chats.missing.min-count': '2' } } }));
    expect((await runCli(['--db', legacy.url, 'audit', 'chats.missing', '--config', flat])).code).toBe(0);
  });

  it('the same threshold twice in one config file (nested and flat) is a usage error naming it', async () => {
    const config = join(dir, 'twice.json');
    await writeFile(config, JSON.stringify({ audit: { thresholds: { 'outbox.stuck': { 'locked-for': '15m' }, 'outbox.stuck.locked-for': '20m' } } }));
    const r = await runCli(['--db', 'postgres://nobody@127.0.0.1:1/none', 'audit', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/twice\.json: threshold outbox\.stuck\.locked-for is given twice \(nested and flat\); keep one/);
    // Other thresholds of the same check, one way each, are fine.
    await writeFile(config, JSON.stringify({ thresholds: { 'outbox.stuck': { 'locked-for': '1h' }, 'outbox.stuck.pending-for': '2h' } }));
    const ok = await runCli(['--db', warnOnly.url, 'audit', 'outbox.stuck', '--config', config, '--json']);
    expect(ok.code).toBe(0);
    expect(parse(ok.stdout).checks[0]).toMatchObject({ count: 0, thresholds: { 'locked-for': { value: 3_600_000 }, 'pending-for': { value: 7_200_000 } } });
  });

  it.each([
    [{ 'chats.missing': { 'min-count': 0 } }, /chats\.missing\.min-count: expected a whole number >= 1, got 0$/],
    [{ 'chats.missing': { 'min-count': 2.5 } }, /chats\.missing\.min-count: expected a whole number >= 1, got 2\.5$/],
    [{ 'chats.missing.min-count': 'five' }, /chats\.missing\.min-count: expected a whole number >= 1, got 'five'$/],
    [{ 'recruiting.slot-status-counts': { 'min-count': 2 } }, /recruiting\.slot-status-counts has no threshold 'min-count' \(an informational check has none\)$/],
  ])('a bad min-count in a config file exits 2 with one line: %j', async (thresholds, message) => {
    const config = join(dir, 'bad-min-count.json');
    await writeFile(config, JSON.stringify({ thresholds }));
    const r = await runCli(['--db', 'postgres://nobody@127.0.0.1:1/none', 'audit', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  it('reports absent modules as skipped, never as passed', async () => {
    const r = await runCli(['--db', lessonsOnly.url, 'audit', '--json']);
    const j = parse(r.stdout);
    expect(j.modules.present).toEqual(['lessons']);
    const checks = byId(j);
    expect(checks['outbox.stuck']).toMatchObject({ status: 'skipped', count: 0 });
    expect(checks['outbox.stuck'].reason).toMatch(/module recruiting absent/);
    expect(checks['chats.missing'].status).toBe('ok');
    // schema.chat-trigger finds the triggers missing on this legacy database
    expect(r.code).toBe(1);
  });

  it('an audit in which no check ran is not healthy', async () => {
    const r = await runCli(['--db', lessonsOnly.url, 'audit', 'whatsapp', 'interviews']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/skipped: module whatsapp absent/);
    expect(r.stdout).toMatch(/not healthy: no check ran/);
    const j = parse((await runCli(['--db', lessonsOnly.url, 'audit', 'whatsapp', '--json'])).stdout);
    expect(j).toMatchObject({ healthy: false, exitCode: 1, summary: { ran: 0, skipped: 2 } });
  });

  it('--skip and a config skip list', async () => {
    const j = parse((await runCli(['--db', legacy.url, 'audit', 'chats', '--skip', 'chats.missing', '--json'])).stdout);
    expect(byId(j)['chats.missing']).toMatchObject({ status: 'skipped' });
    expect(byId(j)['chats.missing'].reason).toMatch(/skipped by configuration/);
  });

  it.each([
    [['audit', 'no.such-check'], /unknown check 'no\.such-check'.*valid checks: interviews\.duplicate-active/],
    [['audit', '--fail-on', 'info'], /expected one of: warn, error/],
    [['audit', '--threshold', 'outbox.stuck.nope=1m'], /outbox\.stuck has no threshold 'nope'.*outbox\.stuck\.locked-for/],
    [['audit', '--threshold', 'outbox.stuck.locked-for=soon'], /invalid duration 'soon'/],
    [['audit', '--threshold', 'locked-for'], /expected <check>\.<name>=<value>/],
    [['audit', '--threshold', 'chats.missing.min-count=0'], /--threshold chats\.missing\.min-count: expected a whole number >= 1, got '0'/],
    [['audit', '--threshold', 'chats.missing.min-count=-3'], /expected a whole number >= 1, got '-3'/],
    [['audit', '--threshold', 'chats.missing.min-count=1.5'], /expected a whole number >= 1, got '1\.5'/],
    [['audit', '--threshold', 'chats.missing.min-count=5m'], /expected a whole number >= 1, got '5m'/],
    [['audit', '--threshold', 'chats.missing.min-count=99999999999999999999'], /expected a whole number >= 1/],
    [['audit', '--threshold', 'recruiting.slot-status-counts.min-count=2'], /recruiting\.slot-status-counts has no threshold 'min-count'/],
    [['audit', '--threshold', 'chats.missing.max-count=2'], /chats\.missing has no threshold 'max-count' \(its thresholds: chats\.missing\.min-count\)/],
    [['audit', '--sample', '0'], /must be between 1 and 1000/],
    [['audit', '--config', '/nonexistent/bookops.json'], /cannot read the config file/],
  ])('usage errors exit 2 before connecting: %j', async (args, message) => {
    // An unreachable target proves nothing connected: a usage error comes first.
    const r = await runCli(['--db', 'postgres://nobody@127.0.0.1:1/none', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a bad config file is a usage error naming the key', async () => {
    const config = join(dir, 'typo.json');
    await writeFile(config, JSON.stringify({ audit: { failon: 'warn' } }));
    const r = await runCli(['--db', legacy.url, 'audit', '--config', config]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown key audit\.failon/);
    // Without the wrapper the file is the audit section: an unknown key is a typo there.
    const shared = join(dir, 'shared.json');
    await writeFile(shared, JSON.stringify({ migrate: { x: 1 } }));
    const bare = await runCli(['--db', legacy.url, 'audit', '--config', shared]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/unknown key migrate \(known: /);
    // With it, so is an unknown section ("target" for "targets" must not pass silently); $schema is an editor's.
    await writeFile(shared, JSON.stringify({ target: { a: legacy.url }, audit: { failOn: 'error' } }));
    const section = await runCli(['--db', legacy.url, 'audit', '--config', shared]);
    expect(section.code).toBe(2);
    expect(section.stderr).toMatch(/shared\.json: unknown key target \(known: targets, audit, \$schema\)/);
    await writeFile(shared, JSON.stringify({ $schema: 'x.json', audit: { failOn: 'error' } }));
    expect((await runCli(['--db', legacy.url, '--json', 'audit', '--config', shared, 'chats.self-rooms'])).code).not.toBe(2);
  });

  it('exits 3 when the database cannot be reached, with a JSON error document', async () => {
    const r = await runCli(['--db', 'postgres://nobody@127.0.0.1:1/none', 'audit', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).error.code).toBe('connection');
  });
});

describe('schema.redundant-unique-indexes and NULLS NOT DISTINCT (PostgreSQL 15+, the test servers)', () => {
  it('a NULLS NOT DISTINCT key beside a plain one on the same columns is not redundant: it refuses rows the other lets in', async () => {
    const t = await createTestDatabase('audit_nulls_not_distinct');
    try {
      await legacySchema(t);
      await t.db.raw(`CREATE TABLE site_keys (a int, b int)`);
      await t.db.raw(`CREATE UNIQUE INDEX site_keys_ab ON site_keys (a, b)`);
      await t.db.raw(`CREATE UNIQUE INDEX site_keys_ab_strict ON site_keys (a, b) NULLS NOT DISTINCT`);
      const redundant = async () => {
        const r = await runCli(['--db', t.url, '--json', 'audit', 'schema.redundant-unique-indexes']);
        return JSON.parse(r.stdout).checks[0].count as number;
      };
      expect(await redundant()).toBe(0);
      // The same plain key a second time is.
      await t.db.raw(`CREATE UNIQUE INDEX site_keys_ba ON site_keys (b, a)`);
      expect(await redundant()).toBe(1);
    } finally {
      await t.drop();
    }
  });
});
