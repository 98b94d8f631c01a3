/**
 * How bookops names itself in the commands it tells the user to type (src/invocation.ts): as it
 * was invoked, so a hint pasted back into the shell runs this bookops.
 */
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { invocation, shellLineAsInvoked, targetWords } from '../../src/invocation.js';
import { projectRoot } from '../../src/paths.js';

const BIN = join(projectRoot(), 'bin', 'bookops.js');
const run = (env: NodeJS.ProcessEnv, cwd = projectRoot(), script = BIN) => invocation({ argv: [process.execPath, script], env, cwd });

describe('invocation', () => {
  it('is `npx bookops` under npx (npm exec)', () => {
    expect(run({ npm_command: 'exec', npm_lifecycle_script: "'bookops'", PATH: '' })).toBe('npx bookops');
    expect(run({ npm_command: 'exec', npm_lifecycle_script: 'bookops audit', PATH: '' })).toBe('npx bookops');
    // Spawned by another npx command (`npx vitest` running the e2e tests): not run by npx itself.
    expect(run({ npm_command: 'exec', npm_lifecycle_script: 'vitest', PATH: '' })).toBe('node bin/bookops.js');
  });

  it('is `bookops` when that name on the PATH is this bookops (a link to bin/bookops.js)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bookops-path-'));
    symlinkSync(BIN, join(dir, 'bookops'));
    expect(run({ PATH: `/nonexistent:${dir}` })).toBe('bookops');
  });

  it('is `node <bin>` when bookops is not on the PATH or is another one: relative under the working directory', () => {
    const other = mkdtempSync(join(tmpdir(), 'bookops-other-'));
    symlinkSync(process.execPath, join(other, 'bookops'));
    expect(run({ PATH: other })).toBe('node bin/bookops.js');
    expect(run({ PATH: '' }, join(projectRoot(), 'bin'))).toBe('node bookops.js');
    // A folder that is not above the project (the project may itself sit under tmpdir()).
    expect(run({ PATH: '' }, mkdtempSync(join(tmpdir(), 'bookops-cwd-')))).toBe(`node ${BIN.includes(' ') ? `'${BIN}'` : BIN}`);
  });

  it('quotes a path the shell would split', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bookops dir '));
    symlinkSync(BIN, join(dir, 'bookops.js'));
    expect(run({ PATH: '' }, tmpdir(), join(dir, 'bookops.js'))).toBe(`node '${relative(tmpdir(), join(dir, 'bookops.js'))}'`);
    expect(run({ PATH: '' }, projectRoot(), join(dir, 'bookops.js'))).toBe(`node '${join(dir, 'bookops.js')}'`);
  });

  it('is plain `bookops` when the process is not our bin (in-process use, these tests)', () => {
    expect(run({ npm_command: 'exec', npm_lifecycle_script: 'bookops' }, projectRoot(), join(projectRoot(), 'node_modules', 'vitest', 'vitest.mjs'))).toBe('bookops');
  });

  it('rewrites the commands of a help example, not other words', () => {
    // In this test process bookops is not the bin: the rewrite keeps `bookops`, so check the shape on the words it touches.
    expect(shellLineAsInvoked('psql "$(bookops db url)" && bookops audit || echo bookops failed')).toBe('psql "$(bookops db url)" && bookops audit || echo bookops failed');
  });
});

describe('targetWords: the --db a pasted hint must carry', () => {
  const words = (...args: string[]) => targetWords([process.execPath, BIN, ...args]);

  it('is the --db as typed, quoted for the shell, when it holds no password', () => {
    expect(words('--db', 'postgres://dba@db1:5433/booking?sslmode=require', 'audit')).toBe("--db 'postgres://dba@db1:5433/booking?sslmode=require'");
    expect(words('audit', '--db=service=prod')).toBe('--db service=prod');
    expect(words('--db', "host=db1 dbname='my db'", 'audit')).toBe(`--db 'host=db1 dbname='\\''my db'\\'''`);
  });

  it('drops the password (URL or keyword/value) and keeps every other keyword', () => {
    expect(words('--db', 'postgres://dba:s3cr%40t@db1:5433/booking?sslmode=verify-full', 'audit')).toBe("--db 'user=dba host=db1 port=5433 dbname=booking sslmode=verify-full'");
    expect(words('--db', "host=db1 password='a b' dbname='my db'", 'audit')).toBe(`--db 'host=db1 dbname='\\''my db'\\'''`);
  });

  it('is the one --target of the run, with its --config; none for a run over several', () => {
    expect(words('--target', 'prod', 'audit')).toBe('--target prod');
    expect(words('--config', './ops conf.json', '--target=eu prod', 'slots', 'release', '3')).toBe(`--config './ops conf.json' --target 'eu prod'`);
    expect(words('--target', 'a', '--target', 'b', 'audit')).toBe('');
    // The same name twice is one target.
    expect(words('--target', 'a', '--target', 'a', 'audit')).toBe('--target a');
  });

  it('is empty without --db, after --, or when the string is refused anyway', () => {
    expect(words('audit')).toBe('');
    expect(words('audit', '--', '--db', 'host=x')).toBe('');
    expect(words('--db', 'host=x PASSWORD=y', 'audit')).toBe('');
    expect(words('--db', '  ', 'audit')).toBe('');
  });
});
