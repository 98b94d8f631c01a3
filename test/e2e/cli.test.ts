/**
 * The CLI as a new user meets it: help, mistakes, bad targets. Every error is one line on
 * stderr with the documented exit code, and no password ever appears, whatever the URL form.
 */
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { loadAll } from '../../src/cli/program.js';
import { runCli, type CliResult } from '../fixtures/cli.js';
import { createTestDatabase, type TestDatabase } from '../fixtures/db.js';

const SECRET = 's3cret-Pw_42';

function oneLine(r: CliResult): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  return lines[0];
}

function noSecret(r: CliResult): void {
  expect(r.stdout + r.stderr).not.toContain(SECRET);
  expect(r.stdout + r.stderr).not.toContain(encodeURIComponent(SECRET));
}

/** Every command path of the one command list (areas and their commands, top-level commands and their subcommands). */
async function commandPaths(): Promise<string[][]> {
  return (await loadAll()).flatMap(({ entry, commands }) =>
    entry.command
      ? [[entry.name], ...(commands[0].subcommands ?? []).map((s) => [entry.name, s.name])]
      : [[entry.name], ...commands.map((c) => [entry.name, c.name])],
  );
}

describe('help', () => {
  it('bookops --help lists commands, examples and the exit codes', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*130 {2}interrupted/);
    expect(r.stdout).toContain('migrate');
  });

  it("a command's exit-code list names the codes it can give", async () => {
    const codes = async (...path: string[]) => /Exit codes: (.*)/.exec((await runCli([...path, '--help'])).stdout)![1];
    expect(await codes('whatsapp', 'delete')).toMatch(/0 deleted, 2 .*, 4 .*, 5 .*, 6 it changed since the preview/);
    expect(await codes('interviews', 'rebook')).toMatch(/0 booked, 2 not a valid id, 4 .*, 5 .*, 6 /);
    expect(await codes('slots', 'reassign')).toMatch(/2 not a valid id, 4 .*, 5 .*, 6 /);
  });

  it('every command has --help with examples', async () => {
    const paths = await commandPaths();
    expect(paths.length).toBeGreaterThan(8);
    for (const path of paths) {
      const r = await runCli([...path, '--help']);
      expect(r.code, path.join(' ')).toBe(0);
      expect(r.stdout, `bookops ${path.join(' ')} --help`).toContain('Examples:');
    }
    // One spawn per command, one after the other: on a loaded machine that takes more than the default minute.
  }, 180_000);

  it('help <command...> and <group> help <command> show that command\'s help (exit 0); help of no command is one line, exit 2', async () => {
    for (const args of [['help', 'slots', 'release'], ['slots', 'help', 'release'], ['--db', 'postgres://x@127.0.0.1:1/x', 'help', 'slots', 'release']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/^Usage: bookops slots release \[options\] <id>/);
    }
    const bare = await runCli(['help']);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toMatch(/^Usage: bookops \[options\] \[command\]/);
    const nosuch = await runCli(['help', 'nosuch']);
    expect(nosuch.code).toBe(2);
    expect(oneLine(nosuch)).toBe("bookops: unknown command 'nosuch' (see node bin/bookops.js --help)");
    const inGroup = await runCli(['help', 'slots', 'nosuch']);
    expect(inGroup.code).toBe(2);
    expect(oneLine(inGroup)).toBe("bookops: unknown command 'nosuch' (see node bin/bookops.js slots --help)");
  });

  it('a group without its action prints its help and exits 2', async () => {
    const r = await runCli(['migrate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: bookops migrate');
  });
});

describe('mistakes made on purpose', () => {
  it('unknown command: one line, exit 2, a suggestion', async () => {
    const r = await runCli(['mgirate', 'status']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe("bookops: unknown command 'mgirate'; did you mean migrate? (see node bin/bookops.js --help)");
  });

  it('unknown option: one line, exit 2, pointing at the help of the command it was given to', async () => {
    const r = await runCli(['migrate', 'status', '--frobnicate']);
    expect(r.code).toBe(2);
    expect(oneLine(r)).toBe("bookops: unknown option '--frobnicate' (see node bin/bookops.js migrate status --help)");
    // An option's value that is also a command's name (a target called demo) is not the command.
    const named = await runCli(['--target', 'demo', '--target', 'clean', 'audit', '--parallel', '0']);
    expect(named.code).toBe(2);
    expect(oneLine(named)).toBe("bookops: option '--parallel <n>': '0' must be between 1 and 64 (see node bin/bookops.js audit --help)");
  });

  it('an unusable BOOKOPS_HOME or migrations folder: one line and its code, not an internal error', async () => {
    const home = await runCli(['migrate', 'status'], { env: { BOOKOPS_HOME: '/dev/null/bookops' } });
    expect(home.code).toBe(3);
    expect(oneLine(home)).toMatch(/^bookops: the embedded cluster cannot start in \/dev\/null\/bookops: ENOTDIR/);
    const dir = await runCli(['--db', 'postgres://nobody@127.0.0.1:1/x', 'migrate', 'status', '--migrations-dir', '/nonexistent/migrations']);
    expect(dir.code).toBe(2);
    expect(oneLine(dir)).toBe('bookops: migrations folder /nonexistent/migrations does not exist (--migrations-dir, BOOKOPS_MIGRATIONS_DIR)');
    // The audit's schema checks read the same folder: the same mistake, the same line and code.
    const adminUrl = inject('adminUrl');
    const audit = await runCli(['--db', adminUrl, 'audit', 'schema', '--migrations-dir', '/nonexistent/migrations']);
    expect(audit.code).toBe(2);
    expect(oneLine(audit)).toBe('bookops: migrations folder /nonexistent/migrations does not exist (--migrations-dir, BOOKOPS_MIGRATIONS_DIR)');
  });

  it('a config file named by --config or BOOKOPS_CONFIG that is missing, a folder or not JSON: exit 2 for every command, one line', async () => {
    const down = 'postgres://nobody@127.0.0.1:1/x';
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['--config', '/tmp', '--db', down, 'migrate', 'status'], {}, 'bookops: cannot read the config file /tmp: EISDIR'],
      [['--config', '/dev/null', 'audit', '--list'], {}, 'bookops: /dev/null: not valid JSON (Unexpected end of JSON input)'],
      [['--db', down, 'outbox', 'stats'], { BOOKOPS_CONFIG: '/nonexistent/bookops.json' }, 'bookops: cannot read the config file /nonexistent/bookops.json: ENOENT'],
      [['--config', '/nonexistent/bookops.json', 'db', 'status'], {}, 'bookops: cannot read the config file /nonexistent/bookops.json: ENOENT'],
    ];
    for (const [args, env, line] of cases) {
      const r = await runCli(args, { env });
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r)).toBe(line);
    }
    // Help and the completion script read no config file.
    expect((await runCli(['--config', '/tmp', 'migrate', 'status', '--help'])).code).toBe(0);
    expect((await runCli(['--config', '/tmp', 'completion', 'bash'])).code).toBe(0);
  });

  it('--connect-timeout wins over PGCONNECT_TIMEOUT and a URL\'s connect_timeout', async () => {
    // A listener that accepts and never answers, as a firewalled pooler would.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const flag = await runCli(['--db', `postgres://x@127.0.0.1:${port}/x?connect_timeout=30`, '--connect-timeout', '700ms', 'migrate', 'status'], { env: { PGCONNECT_TIMEOUT: '30' } });
      expect(flag.code).toBe(3);
      expect(oneLine(flag)).toBe(`bookops: cannot reach x@127.0.0.1:${port}/x: connection timed out after 700ms`);
      // libpq's floor: connect_timeout=1 waits 2 seconds
      const url = await runCli(['--db', `postgres://x@127.0.0.1:${port}/x?connect_timeout=1`, 'migrate', 'status']);
      expect(oneLine(url)).toBe(`bookops: cannot reach x@127.0.0.1:${port}/x: connection timed out after 2000ms`);
    } finally {
      silent.close();
    }
  });

  it('usage errors with --json: the error document on stdout too', async () => {
    for (const args of [['--json', 'frobnicate'], ['--json', 'migrate'], ['--json', 'audit', '--frob'], ['--json', 'audit', '--fail-on', 'bogus']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(JSON.parse(r.stdout).error, args.join(' ')).toMatchObject({ code: 'usage', exitCode: 2 });
    }
  });

  it('bad option values: one line, exit 2', async () => {
    for (const args of [
      ['--lock-timeout', 'soon', 'migrate', 'status'],
      ['--session-settings', 'maybe', 'migrate', 'status'],
      ['migrate', 'up', '--retries', '0'],
    ]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      oneLine(r);
    }
  });

  it('a URL that is not a URL: one line, exit 2, nothing of it that could be a password', async () => {
    for (const url of [
      'not-a-url',
      `mysql://root:${SECRET}@localhost/db`,
      `postgres://u:${SECRET}@localhost:99999/db`,
      // Passwords written as people do: with a space, an '@' or an '&' left unencoded.
      `postgres://u:${SECRET.slice(0, 6)} ${SECRET.slice(6)}@127.0.0.1/db?target_session_attrs=any`,
      `postgres://u:${SECRET.slice(0, 6)}@${SECRET.slice(6)}@127.0.0.1/db?sslmode=requre`,
      `postgres://u@127.0.0.1/db?password=${SECRET.slice(0, 6)}&${SECRET.slice(6)}`,
    ]) {
      const r = await runCli(['--db', url, 'migrate', 'status']);
      expect(r.code, url).toBe(2);
      expect(oneLine(r)).toMatch(/^bookops: --db: (invalid database URL: |it is neither a postgres:\/\/ URL nor keyword=value pairs|port is not a number)/);
      expect(r.stderr, url).not.toContain(url);
      noSecret(r);
      expect(r.stderr, url).not.toContain(SECRET.slice(6));
    }
  });

  it('a libpq keyword/value string with a mistake: one line, exit 2, no password', async () => {
    for (const conninfo of [
      `host=127.0.0.1 dbnme=booking password=${SECRET}`,
      `host=127.0.0.1 password='${SECRET}`,
      `host 127.0.0.1 password=${SECRET}`,
      // Quoting gone wrong: the rest of the string may be the password; no piece of it is shown.
      `host=127.0.0.1 password=${SECRET.slice(0, 6)} ${SECRET.slice(6)}`,
      `host=127.0.0.1 password=${SECRET.slice(0, 6)} ${SECRET.slice(6)}=x`,
      `host=127.0.0.1 password="${SECRET.slice(0, 6)} ${SECRET.slice(6)}"`,
    ]) {
      const r = await runCli(['--db', conninfo, 'migrate', 'status']);
      expect(r.code, conninfo).toBe(2);
      expect(oneLine(r)).toMatch(/^bookops: --db: invalid connection string: (unknown keyword|unterminated quoted value of password|expected keyword=value)/);
      expect(r.stderr).not.toContain(conninfo);
      noSecret(r);
      expect(r.stderr).not.toContain(SECRET.slice(6));
    }
  });

  it('an unreachable server: one line, exit 3, the target without its password', async () => {
    for (const url of [
      `host=127.0.0.1 port=1 dbname=booking user=alice password='${SECRET} with \\'quote'`,
      `hostaddr = 127.0.0.1  port = 1 dbname=booking user=alice password=${SECRET}`,
      `postgres://alice:${SECRET}@127.0.0.1:1/booking`,
      `postgresql://alice@127.0.0.1:1/booking?password=${SECRET}`,
      `postgres://alice:${encodeURIComponent(SECRET + '@:/')}@127.0.0.1:1/booking`,
    ]) {
      const r = await runCli(['--db', url, 'migrate', 'status']);
      expect(r.code, url).toBe(3);
      expect(oneLine(r)).toBe('bookops: cannot reach alice@127.0.0.1:1/booking: connection refused');
      noSecret(r);
    }
  });

  it('--verbose adds the stack; --json adds an error document on stdout', async () => {
    const url = `postgres://alice:${SECRET}@127.0.0.1:1/booking`;
    const verbose = await runCli(['--db', url, '--verbose', 'migrate', 'status']);
    expect(verbose.code).toBe(3);
    expect(verbose.stderr).toMatch(/\n\s+at /);
    noSecret(verbose);
    const json = await runCli(['--db', url, '--json', 'migrate', 'status']);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: 'connection', exitCode: 3, message: 'cannot reach alice@127.0.0.1:1/booking: connection refused' },
    });
    noSecret(json);
  });
});

describe('connection resolution and session settings', () => {
  let t: TestDatabase;
  let url: URL;
  beforeAll(async () => {
    t = await createTestDatabase('cli_target');
    url = new URL(t.url);
  });
  afterAll(async () => t?.drop());

  const label = () => `${decodeURIComponent(url.username)}@${url.hostname}:${url.port || 5432}/${t.name}`;

  it('--db wins over DATABASE_URL, which wins over PG* variables', async () => {
    const broken = 'postgres://nobody@127.0.0.1:1/nothing';
    const viaFlag = await runCli(['--db', t.url, 'migrate', 'status', '--json'], { env: { DATABASE_URL: broken, PGHOST: '127.0.0.1', PGPORT: '1' } });
    expect(JSON.parse(viaFlag.stdout).target).toBe(label());
    const viaEnv = await runCli(['migrate', 'status', '--json'], { env: { DATABASE_URL: t.url, PGHOST: '127.0.0.1', PGPORT: '1' } });
    expect(JSON.parse(viaEnv.stdout).target).toBe(label());
    const viaLibpq = await runCli(['migrate', 'status', '--json'], {
      env: {
        PGHOST: url.hostname,
        PGPORT: url.port || '5432',
        PGUSER: decodeURIComponent(url.username),
        PGPASSWORD: decodeURIComponent(url.password) || undefined,
        PGDATABASE: t.name,
      },
    });
    expect(viaLibpq.code, viaLibpq.stderr).toBe(0);
    expect(JSON.parse(viaLibpq.stdout).target).toBe(label());
  });

  it('every session carries application_name, lock_timeout and statement_timeout, as start-up parameters or with SET', async () => {
    for (const mode of ['startup', 'set']) {
      const r = await runCli([
        '--db', t.url, '--verbose', '--lock-timeout', '250ms', '--statement-timeout', '3s', '--session-settings', mode,
        'migrate', 'status',
      ]);
      expect(r.code, r.stderr).toBe(0);
    }
    // The settings are observable from the server while a bookops session is open.
    const { openDatabase } = await import('../../src/data/connect.js');
    const { parseDatabaseUrl } = await import('../../src/config/target.js');
    for (const settingsMode of ['startup', 'set'] as const) {
      const db = await openDatabase(parseDatabaseUrl(t.url, 'flag'), {
        lockTimeoutMs: 250,
        statementTimeoutMs: 3000,
        connectTimeoutMs: 5000,
        settingsMode,
      });
      const { rows } = await db.raw(
        "SELECT current_setting('application_name') AS app, current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt",
      );
      await db.destroy();
      expect(rows[0]).toEqual({ app: 'bookops', lock: '250ms', stmt: '3s' });
    }
  });
});

describe('wrong password', () => {
  it('one line, exit 3, and the password is not printed', async () => {
    const started = await runCli(['db', 'start']);
    expect(started.code, started.stderr).toBe(0);
    const state = JSON.parse(readFileSync(join(inject('embeddedHome'), 'cluster.json'), 'utf8'));
    const r = await runCli(['--db', `postgres://bookops:${SECRET}@127.0.0.1:${state.port}/bookops`, 'migrate', 'status']);
    expect(r.code).toBe(3);
    expect(oneLine(r)).toBe(`bookops: cannot log in to bookops@127.0.0.1:${state.port}/bookops: password authentication failed`);
    noSecret(r);
  });
});

describe('a closed pipe', () => {
  it('`bookops ... | head` ends quietly, without an EPIPE stack', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN, cleanEnv } = await import('../fixtures/cli.js');
    const child = spawn(process.execPath, [BIN, '--help'], { env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|at /);
    expect(code).toBe(0);
  });
});

describe('colour', () => {
  it('is off when piped, with NO_COLOR or --no-color, and on only when forced', async () => {
    const esc = /\u001b\[/;
    const args = ['--help'];
    expect((await runCli(args)).stdout).not.toMatch(esc);
    const forced = await runCli(['db', 'status'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(esc);
    const noColor = await runCli(['--no-color', 'db', 'status'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(esc);
    const dumb = await runCli(['db', 'status'], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'dumb' } });
    expect(dumb.stdout).not.toMatch(esc);
    const envNoColor = await runCli(['db', 'status'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(envNoColor.stdout).not.toMatch(esc);
  });
});
