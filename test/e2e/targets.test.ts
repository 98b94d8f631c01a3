/**
 * Named targets and runs over several (built binary): three targets on the test server, `demo`
 * (the demo's defects), `clean` (fixed, nothing wrong) and `down` (a loopback port nothing
 * listens on), through every read-only command and format; the exit code is the worst target's,
 * and the target that cannot be reached never hides the others. `npm run build` first.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../fixtures/cli.js';
import { promtoolCheck } from '../fixtures/prometheus.js';
import { threeTargets, type ThreeTargets } from '../fixtures/targets.js';

interface TargetDoc {
  target: string;
  address: string;
  exitCode: number;
  error?: { code: string; message: string };
  [key: string]: unknown;
}

let t: ThreeTargets;
const all = () => ['--config', t.config, '--all-targets'];
const byTarget = (doc: { targets: TargetDoc[] }) => Object.fromEntries(doc.targets.map((x) => [x.target, x]));
/** Samples of an exposition: name, labels, value. */
const samples = (text: string) =>
  text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const m = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(l)!;
      const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
      return { name: m[1], labels, value: Number(m[3]) };
    });

beforeAll(async () => {
  t = await threeTargets('targets', { audit: { sample: 3 } });
}, 600_000);
afterAll(async () => t?.cleanup());

describe('audit over several targets', () => {
  it('--json: one document, each target under its name, exit 3 (the unreachable one) over 1 (findings) over 0', async () => {
    const r = await runCli([...all(), 'audit', '--json']);
    expect(r.code, r.stderr).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.exitCode).toBe(3);
    expect(doc).toMatchObject({ version: expect.any(String), generatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) });
    expect(doc.targets.map((x: TargetDoc) => x.target)).toEqual(['demo', 'clean', 'down']);
    const { demo, clean, down } = byTarget(doc);
    expect(demo).toMatchObject({ exitCode: 1, healthy: false, kind: 'audit', version: expect.any(String), generatedAt: expect.stringMatching(/Z$/) });
    const checks = demo.checks as Array<{ id: string; status: string; count: number; sample: unknown[] }>;
    expect(checks.find((c) => c.id === 'recruiting.double-booking')!.status).toBe('finding');
    // Each target's repairs name it: pasted, they act on that target, not on DATABASE_URL or the embedded cluster.
    const repairOf = (doc: TargetDoc, id: string) => (doc.checks as Array<{ id: string; repair: string }>).find((c) => c.id === id)!.repair;
    expect(repairOf(demo, 'recruiting.double-booking')).toMatch(new RegExp(`bookops(\\.js)? --config \\S+ --target demo slots resolve-duplicates$`));
    expect(repairOf(clean, 'outbox.duplicates')).toMatch(/ --target clean outbox dedupe$/);
    // The file's audit section (sample 3) reached every target: each finding keeps min(count, 3) rows.
    const findings = checks.filter((c) => c.status === 'finding');
    expect(findings.some((c) => c.count > 3)).toBe(true);
    for (const c of findings) expect(c.sample, c.id).toHaveLength(Math.min(c.count, 3));
    expect(clean).toMatchObject({ exitCode: 0, healthy: true });
    expect(down).toMatchObject({ exitCode: 3, error: { code: 'connection' } });
    expect(down.address).toBe(t.downUrl.replace('postgres://', ''));
    // Never a password, whatever the server's URL holds.
    expect(r.stdout).not.toContain(new URL(t.demo.url).password || '\u0000');
  });

  it('on a terminal: a section per target, then the summary table', async () => {
    const r = await runCli([...all(), 'audit']);
    expect(r.code).toBe(3);
    const sections = [...r.stdout.matchAll(/^== (\w+) \(.*\): exit (\d+)$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(sections).toEqual([
      ['demo', 1],
      ['clean', 0],
      ['down', 3],
    ]);
    // The table fits the terminal's width: a long cell wraps onto the lines below its row.
    expect(r.stdout).toMatch(/\| demo +\| .*\| 1 +\| not healthy/);
    expect(r.stdout).toMatch(/\| clean +\| .*\| 0 +\| healthy/);
    expect(r.stdout).toMatch(/\| down +\| .*\| 3 +\| cannot reach/);
    expect(r.stdout).toMatch(/3 target\(s\), exit 3 \(the worst of them\)/);
    // The demo section's repairs name the demo target, and no repair is printed without a target.
    const demoSection = r.stdout.slice(r.stdout.indexOf('== demo'), r.stdout.indexOf('== clean'));
    expect(demoSection.replace(/\s+/g, ' ')).toMatch(/--target demo slots resolve-duplicates/);
    expect(r.stdout).not.toMatch(/bookops(\.js)? slots resolve-duplicates/);
  });

  it('without the unreachable one: findings (1) over healthy; --parallel 1 gives the same', async () => {
    const two = ['--config', t.config, '--target', 'clean', '--target', 'demo'];
    const r = await runCli([...two, 'audit', '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).targets.map((x: TargetDoc) => [x.target, x.exitCode])).toEqual([
      ['clean', 0],
      ['demo', 1],
    ]);
    const serial = await runCli([...two, '--parallel', '1', 'audit', '--json']);
    expect(serial.code).toBe(1);
    expect((await runCli(['--config', t.config, '--target', 'clean', '--target', 'clean', 'audit', '--json'])).code).toBe(0);
  });

  it('each target has its own timeout: one held up past --target-timeout is a 7, the others report as usual', async () => {
    // Holds the demo's slots: its recruiting checks wait on the lock until its time is up.
    const holder = new pg.Client({ connectionString: t.demo.url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE slots IN ACCESS EXCLUSIVE MODE');
      const r = await runCli([...all(), '--lock-timeout', '60s', '--target-timeout', '1500ms', '--verbose', 'audit', '--json']);
      expect(r.code).toBe(3);
      const doc = JSON.parse(r.stdout);
      expect(doc.targets.map((x: TargetDoc) => [x.target, x.exitCode])).toEqual([
        ['demo', 7],
        ['clean', 0],
        ['down', 3],
      ]);
      // The limit as given, not rounded; the target is named by its entry, not again in the message.
      expect(byTarget(doc).demo.error).toMatchObject({ message: 'no answer within the target timeout of 1500ms' });
      // Given up, the demo's run stops: its check waiting on the lock is cancelled and no further
      // check starts (each would have waited on the lock in turn, the run going on behind the report).
      const failed = r.stderr.split('\n').filter((line) => line.endsWith('-- failed'));
      expect(failed, r.stderr).toHaveLength(1);
    } finally {
      await holder.end();
    }
  });

  it('Ctrl-C stops every target\'s run: the statement waiting on a lock is cancelled, no further check starts; exit 130', async () => {
    const holder = new pg.Client({ connectionString: t.demo.url });
    await holder.connect();
    try {
      await holder.query('BEGIN; LOCK TABLE slots IN ACCESS EXCLUSIVE MODE');
      let pid = 0;
      const run = runCli([...all(), '--lock-timeout', '60s', 'audit', '--json'], { onSpawn: (p) => (pid = p) });
      const deadline = Date.now() + 45_000;
      const waiting = async () =>
        (await t.clean.db.raw(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'bookops' AND wait_event_type = 'Lock'`)).rows[0].n;
      while ((await waiting()) === 0) {
        if (Date.now() > deadline) throw new Error('bookops never came to wait on the lock');
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(pid, 'SIGINT');
      const r = await run;
      expect(r.code, r.stderr).toBe(130);
      expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'interrupted', exitCode: 130, signal: 'SIGINT' });
      // Stopped by the run itself, not by the hard stop a second later.
      expect(r.stderr.trim().split('\n').at(-1)).toBe("bookops: interrupted by SIGINT; every target's run was stopped; no further check was started");
      // It stopped while the lock was still held: no check of the demo went on waiting.
      expect(await waiting()).toBe(0);
    } finally {
      await holder.end();
    }
  });

  it('one --target is the single-target document, as with --db, named by the target', async () => {
    const r = await runCli(['--target', 'clean', 'audit', '--json'], { env: { BOOKOPS_CONFIG: t.config } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'audit', target: 'clean', healthy: true });
  });

  it('--format prometheus: promtool accepts it; bookops_up and the audit series carry the target', async () => {
    const r = await runCli([...all(), 'audit', '--format', 'prometheus']);
    expect(r.code).toBe(3);
    expect(await promtoolCheck(r.stdout)).toEqual({ code: 0, output: '' });
    const s = samples(r.stdout);
    expect(s.every((x) => x.labels.target)).toBe(true);
    expect(Object.fromEntries(s.filter((x) => x.name === 'bookops_up').map((x) => [x.labels.target, x.value]))).toEqual({ demo: 1, clean: 1, down: 0 });
    const doubles = s.find((x) => x.name === 'bookops_audit_findings' && x.labels.target === 'demo' && x.labels.check === 'recruiting.double-booking');
    expect(doubles).toMatchObject({ labels: { module: 'recruiting', severity: 'error' } });
    expect(doubles!.value).toBeGreaterThan(0);
    const status = s.filter((x) => x.name === 'bookops_audit_check_status' && x.labels.target === 'clean' && x.value === 1);
    expect(new Set(status.map((x) => x.labels.status))).toEqual(new Set(['ok']));
    expect(s.filter((x) => x.name === 'bookops_audit_duration_seconds').map((x) => x.labels.target).sort()).toEqual(['clean', 'demo']);
  });

  it('--db: the target label is user@host:port/db, never a password', async () => {
    const r = await runCli(['--db', t.clean.url, 'audit', '--format', 'prometheus']);
    expect(r.code).toBe(0);
    expect(await promtoolCheck(r.stdout)).toEqual({ code: 0, output: '' });
    const url = new URL(t.clean.url);
    const label = `${url.username}@${url.hostname}:${url.port}${url.pathname}`;
    expect(new Set(samples(r.stdout).map((x) => x.labels.target))).toEqual(new Set([label]));
    if (url.password) expect(r.stdout).not.toContain(decodeURIComponent(url.password));
  });

  it('--format markdown: when, which target, which bookops, each finding with its sample and repair', async () => {
    const r = await runCli([...all(), 'audit', '--format', 'markdown']);
    expect(r.code).toBe(3);
    const version = JSON.parse((await runCli(['--target', 'clean', '--config', t.config, 'audit', '--json'])).stdout).version;
    expect(r.stdout).toMatch(/^# bookops audit\n/);
    expect(r.stdout).toMatch(/^- when: \d{4}-\d\d-\d\dT.*Z$/m);
    expect(r.stdout).toContain(`- bookops: ${version}`);
    expect(r.stdout).toMatch(/^## demo$/m);
    expect(r.stdout).toMatch(/^## clean$/m);
    expect(r.stdout).toMatch(/^## down\n\n- address: `nobody@127\.0\.0\.1:\d+\/nowhere`\n- exit code: 3\n- error: cannot reach/m);
    const section = r.stdout.slice(r.stdout.indexOf('### recruiting.double-booking'));
    expect(section).toMatch(/^### recruiting\.double-booking: \d+ /);
    expect(section).toMatch(/```\n.*candidate_tg_id.*\n/);
    expect(section).toMatch(/Repair: `.*bookops(\.js)? --config \S+ --target demo slots resolve-duplicates`/);
  });

  it('--format junit: one test case per check and target, a failure per finding at or above --fail-on, an error for the unreachable', async () => {
    const r = await runCli([...all(), 'audit', '--format', 'junit']);
    expect(r.code).toBe(3);
    const checks = JSON.parse((await runCli(['audit', '--list', '--json'])).stdout).checks.length;
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites/);
    const suites = [...r.stdout.matchAll(/<testsuite name="bookops audit (\w+)" tests="(\d+)" failures="(\d+)" errors="(\d+)"/g)].map((m) => m.slice(1).map((x, i) => (i ? Number(x) : x)));
    expect(suites.map((s) => [s[0], s[1]])).toEqual([
      ['demo', checks],
      ['clean', checks],
      ['down', 1],
    ]);
    expect(suites[0][2]).toBeGreaterThan(0);
    expect(suites[1].slice(2)).toEqual([0, 0]);
    expect(suites[2].slice(2)).toEqual([0, 1]);
    expect((r.stdout.match(/<testcase /g) ?? []).length).toBe(2 * checks + 1);
    expect(r.stdout).toMatch(/<testcase classname="demo\.recruiting" name="recruiting\.double-booking" time="[\d.]+"><failure message="\d+ /);
  });
});

describe('the other read-only commands over several targets', () => {
  it('chats verify: demo 1, clean 0, down 3; with --backfill it writes and refuses several targets (exit 2)', async () => {
    const r = await runCli([...all(), 'chats', 'verify', '--json']);
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).targets.map((x: TargetDoc) => [x.target, x.exitCode, x.ok])).toEqual([
      ['demo', 1, false],
      ['clean', 0, true],
      ['down', 3, undefined],
    ]);
    const terminal = await runCli([...all(), 'chats', 'verify']);
    expect(terminal.stdout).toMatch(/\| clean +\| .*\| 0 +\| ok: every/);
    const backfill = await runCli([...all(), 'chats', 'verify', '--backfill']);
    expect(backfill.code).toBe(2);
    expect(backfill.stderr).toMatch(/chats verify changes the database: it takes exactly one target/);
  });

  it('chats metrics: one exposition (promtool), bookops_up per target; --prometheus writes one file for all', async () => {
    const r = await runCli([...all(), 'chats', 'metrics', '--format', 'prometheus']);
    expect(r.code).toBe(3);
    expect(await promtoolCheck(r.stdout)).toEqual({ code: 0, output: '' });
    const s = samples(r.stdout);
    expect(s.every((x) => x.labels.target)).toBe(true);
    expect(s.filter((x) => x.name === 'bookops_up').map((x) => [x.labels.target, x.value])).toEqual([
      ['demo', 1],
      ['clean', 1],
      ['down', 0],
    ]);
    expect(s.find((x) => x.name === 'bookops_chat_missing_pairs' && x.labels.target === 'demo')!.value).toBeGreaterThan(0);
    expect(s.find((x) => x.name === 'bookops_chat_missing_pairs' && x.labels.target === 'clean')!.value).toBe(0);
    const file = join(t.dir, 'bookops_chat.prom');
    const written = await runCli([...all(), 'chats', 'metrics', '--prometheus', file]);
    expect([written.code, written.stdout, written.stderr.trim()]).toEqual([3, '', `wrote ${file}`]);
    expect(samples(await readFile(file, 'utf8')).filter((x) => x.name === 'bookops_up').length).toBe(3);
    const json = JSON.parse((await runCli([...all(), 'chats', 'metrics', '--json'])).stdout);
    expect(byTarget(json).clean).toMatchObject({ exitCode: 0, roomsTotal: 0 });
  });

  it('migrate status and migrate plan: each target\'s document, the unreachable one exit 3', async () => {
    const status = await runCli([...all(), 'migrate', 'status', '--json']);
    expect(status.code).toBe(3);
    const s = byTarget(JSON.parse(status.stdout));
    expect([s.demo.pending, s.clean.pending, s.down.exitCode]).toEqual([7, 0, 3]);
    const plan = await runCli([...all(), 'migrate', 'plan', '--json']);
    expect(plan.code).toBe(3);
    const p = byTarget(JSON.parse(plan.stdout));
    expect((p.demo.migrations as unknown[]).length).toBe(7);
    expect(p.clean.migrations).toEqual([]);
    expect(p.down.error).toMatchObject({ code: 'connection' });
    const terminal = await runCli([...all(), 'migrate', 'status']);
    expect(terminal.stdout).toMatch(/\| demo +\| .*\| 0 +\| 1 applied, 7/);
  });
});

describe('choosing targets', () => {
  it('--db with --target or --all-targets, an unknown target, --target without a config: usage errors (exit 2)', async () => {
    const both = await runCli(['--config', t.config, '--db', t.clean.url, '--target', 'clean', 'audit']);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'bookops: --db and --target exclude each other: name the database one way']);
    expect((await runCli(['--config', t.config, '--db', t.clean.url, '--all-targets', 'migrate', 'status'])).code).toBe(2);
    const unknown = await runCli(['--config', t.config, '--target', 'prod', 'audit']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown target 'prod' \(configured in .*: demo, clean, down\)/);
    const none = await runCli(['--target', 'clean', 'audit'], { env: { XDG_CONFIG_HOME: t.dir } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no targets configured/);
  });

  it('a write command takes one target: --target works, several are refused before connecting', async () => {
    const one = await runCli(['--config', t.config, '--target', 'clean', 'outbox', 'dedupe', '--dry-run', '--json']);
    expect(one.code, one.stderr).toBe(0);
    const several = await runCli([...all(), 'outbox', 'dedupe', '--dry-run']);
    expect(several.code).toBe(2);
    expect(several.stderr).toMatch(/outbox dedupe changes the database: it takes exactly one target/);
  });

  it('the config file from $XDG_CONFIG_HOME; a bad target entry is a usage error naming it', async () => {
    const xdg = join(t.dir, 'xdg');
    await (await import('node:fs/promises')).mkdir(join(xdg, 'bookops'), { recursive: true });
    await writeFile(join(xdg, 'bookops', 'config.json'), JSON.stringify({ targets: { clean: t.clean.url } }));
    const r = await runCli(['--target', 'clean', 'migrate', 'status', '--json'], { env: { XDG_CONFIG_HOME: xdg } });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).pending).toBe(0);
    const bad = join(t.dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ targets: { clean: { db: t.clean.url, dbname: 'x' } } }));
    const typo = await runCli(['--config', bad, '--all-targets', 'audit']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/targets\.clean: unknown key dbname \(known: db, audit\)/);
    await writeFile(bad, JSON.stringify({ targets: { clean: 'postgres://x@h/db?sslmod=require' } }));
    const url = await runCli(['--config', bad, '--all-targets', 'audit']);
    expect(url.code).toBe(2);
    expect(url.stderr).toMatch(/targets\.clean: .*unknown query parameter 'sslmod'/);
    // A typo in one target's audit settings: a usage error before any target is asked, not one
    // target's result behind another's connection error (exit 3); nothing on stdout.
    await writeFile(bad, JSON.stringify({ targets: { clean: { db: t.clean.url, audit: { failon: 'warn' } }, down: t.downUrl } }));
    const audit = await runCli(['--config', bad, '--all-targets', 'audit']);
    expect(audit.code, audit.stderr).toBe(2);
    expect(audit.stdout).toBe('');
    expect(audit.stderr).toMatch(/targets\.clean\.audit\.failon/);
    // Whatever is wrong in it, the message says which target's settings.
    for (const [section, message] of [
      [{ skip: ['outbox.stuk'] }, /bad\.json: targets\.clean\.audit\.skip: unknown check 'outbox\.stuk'/],
      [{ failOn: 'warnn' }, /bad\.json: targets\.clean\.audit: failOn must be "warn" or "error"/],
    ] as const) {
      await writeFile(bad, JSON.stringify({ targets: { clean: { db: t.clean.url, audit: section }, down: t.downUrl } }));
      const wrong = await runCli(['--config', bad, '--all-targets', 'audit']);
      expect(wrong.code, wrong.stderr).toBe(2);
      expect(wrong.stderr.trim()).toMatch(message);
    }
  });

  it("a target's own audit settings apply to it alone", async () => {
    const cfg = join(t.dir, 'per-target.json');
    await writeFile(cfg, JSON.stringify({ targets: { demo: { db: t.demo.url, audit: { skip: ['recruiting'] } }, clean: t.clean.url } }));
    const r = await runCli(['--config', cfg, '--all-targets', 'audit', '--json']);
    const { demo, clean } = byTarget(JSON.parse(r.stdout));
    const status = (doc: TargetDoc, id: string) => (doc.checks as Array<{ id: string; status: string }>).find((c) => c.id === id)!.status;
    expect(status(demo, 'recruiting.double-booking')).toBe('skipped');
    expect(status(clean, 'recruiting.double-booking')).toBe('ok');
  });
});
