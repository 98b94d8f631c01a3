/**
 * The commands bookops tells the user to type (usage hints, help examples, repairs, "try next")
 * name bookops as it was invoked, so they run when pasted: `node bin/bookops.js …` as these tests
 * spawn it from the project folder, `npx bookops …` under npx, `bookops …` when that is on the PATH.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';
import { BIN, cleanEnv, invokedOn, runCli } from '../fixtures/cli.js';
import { createTestDatabase } from '../fixtures/db.js';
import { addRecruiter, addSlot } from '../fixtures/recruiting.js';
import { legacySchema } from '../fixtures/schema.js';

describe('hints name bookops as it was invoked', () => {
  const pathDir = mkdtempSync(join(tmpdir(), 'bookops-onpath-'));
  symlinkSync(BIN, join(pathDir, 'bookops'));
  afterAll(() => rmSync(pathDir, { recursive: true, force: true }));

  it('run as node bin/bookops.js: the usage hint and the help examples say so', async () => {
    const r = await runCli(['slots', 'release', 'abc']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("bookops: argument <id>: 'abc' is not a positive whole number (see node bin/bookops.js slots release --help)");
    const help = await runCli(['db', '--help']);
    expect(help.stdout).toContain('$ node bin/bookops.js db start');
    expect(help.stdout).toContain('$ psql "$(node bin/bookops.js db url)"');
  });

  it('under npx (npm exec): npx bookops', async () => {
    const npx = { npm_command: 'exec', npm_lifecycle_script: "'bookops'" };
    const r = await runCli(['slots', 'release', 'abc'], { env: npx });
    expect(r.stderr.trim()).toMatch(/\(see npx bookops slots release --help\)$/);
    const help = await runCli(['audit', '--help'], { env: npx });
    expect(help.stdout).toContain('$ npx bookops audit --list');
  });

  it('on the PATH (a link to this bin/bookops.js): bookops', async () => {
    const r = await runCli(['slots', 'release', 'abc'], { env: { PATH: `${pathDir}:${process.env.PATH}` } });
    expect(r.stderr.trim()).toMatch(/\(see bookops slots release --help\)$/);
  });
});

describe('hints of a run on --db name that database', () => {
  it('the undo of a repair run with --db (a password in it) pastes onto the same database, the password not printed', async () => {
    const t = await createTestDatabase('hint_target');
    try {
      await legacySchema(t);
      const r = await addRecruiter(t.db);
      const slot = await addSlot(t.db, r.id, { status: 'BOOKED', candidateTgId: 7_200_000_001 });
      const url = new URL(t.url);
      // A server with trust auth ignores it; the embedded one needs it.
      url.password ||= 'hint-secret-pw';
      const password = decodeURIComponent(url.password);
      const run = await runCli(['--db', url.toString(), 'slots', 'release', String(slot), '--yes']);
      expect(run.code, run.stderr).toBe(0);
      const undo = /undo with `([^`]+)`/.exec(run.stdout + run.stderr)?.[1];
      expect(undo).toMatch(/^node bin\/bookops\.js --db '(?=[^']*host=)(?=[^']*port=)(?=[^']*dbname=)[^']+' archive restore \d+$/);
      expect(run.stdout + run.stderr).not.toContain(password);
      // Pasted where DATABASE_URL names another server (without --db the undo would go there),
      // the password from PGPASSWORD as for psql.
      const pasted = spawnSync('sh', ['-c', `${undo} --yes`], {
        cwd: projectRoot(),
        env: cleanEnv({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/elsewhere', PGPASSWORD: password }),
        encoding: 'utf8',
      });
      expect(pasted.status, pasted.stderr).toBe(0);
      expect((await t.db('slots').where({ id: slot }).first()).status).toBe('BOOKED');
    } finally {
      await t.drop();
    }
  });
});

describe('hints of a run given --migrations-dir name that folder', () => {
  it("the audit's migrate repairs carry --migrations-dir (quoted), so pasted they read that folder", async () => {
    const t = await createTestDatabase('hint_migrations_dir');
    const dir = mkdtempSync(join(tmpdir(), 'bookops migrations '));
    try {
      await legacySchema(t);
      cpSync(join(projectRoot(), 'migrations'), dir, { recursive: true });
      // The applied baseline edited in this folder: schema.changed-migrations finds it.
      appendFileSync(join(dir, '0001_legacy_baseline.sql'), '\n-- edited here\n');
      const r = await runCli(['--db', t.url, 'audit', 'schema.pending-migrations', 'schema.changed-migrations', '--migrations-dir', dir, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const repairs = Object.fromEntries((JSON.parse(r.stdout).checks as Array<{ id: string; repair: string }>).map((c) => [c.id, c.repair]));
      const on = invokedOn(t.url);
      const folder = `--migrations-dir '${dir}'`;
      expect(repairs['schema.pending-migrations']).toBe(`${on} migrate plan ${folder}; ${on} migrate up ${folder}`);
      expect(repairs['schema.changed-migrations']).toBe(`restore the files as they were applied; or review the change, then ${on} migrate up ${folder} --allow-changed`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await t.drop();
    }
  });
});
