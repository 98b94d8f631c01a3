/**
 * The commands bookops tells the user to type (usage hints, help examples, repairs, "try next")
 * name bookops as it was invoked, so they run when pasted: `node bin/bookops.js …` as these tests
 * spawn it from the project folder, `npx bookops …` under npx, `bookops …` when that is on the PATH.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../fixtures/cli.js';

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
