/**
 * The config file (src/config/file.ts): where it is looked for, in order, and the shape of its
 * targets; and which exit code a run over several targets ends with (src/exit-codes.ts worstExit).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath, loadConfigFile, parseConfigFile } from '../../src/config/file.js';
import { selectTargets } from '../../src/config/targets.js';
import { UsageError } from '../../src/errors.js';
import { EXIT, worstExit } from '../../src/exit-codes.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bookops-config-'));
  await mkdir(join(dir, 'cwd'));
  await mkdir(join(dir, 'xdg', 'bookops'), { recursive: true });
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('where the config file is', () => {
  it('--config, then BOOKOPS_CONFIG, then ./bookops.json, then $XDG_CONFIG_HOME/bookops/config.json', async () => {
    const cwd = join(dir, 'cwd');
    const env = { XDG_CONFIG_HOME: join(dir, 'xdg') };
    expect(configPath(undefined, env, cwd)).toBeUndefined();
    await writeFile(join(dir, 'xdg', 'bookops', 'config.json'), '{"targets": {"x": "postgres://a@h/x"}}');
    expect(configPath(undefined, env, cwd)).toEqual({ path: join(dir, 'xdg', 'bookops', 'config.json'), named: false });
    await writeFile(join(cwd, 'bookops.json'), '{}');
    expect(configPath(undefined, env, cwd)).toEqual({ path: join(cwd, 'bookops.json'), named: false });
    expect(configPath(undefined, { ...env, BOOKOPS_CONFIG: 'env.json' }, cwd)).toEqual({ path: join(cwd, 'env.json'), named: true });
    expect(configPath('flag.json', { ...env, BOOKOPS_CONFIG: 'env.json' }, cwd)).toEqual({ path: join(cwd, 'flag.json'), named: true });
    // Named, it must exist; found by default, it is read.
    expect(() => loadConfigFile('flag.json', env, cwd)).toThrow(/cannot read the config file .*flag\.json: ENOENT/);
    expect(loadConfigFile(undefined, env, cwd)).toMatchObject({ path: join(cwd, 'bookops.json'), flat: true, targets: [] });
  });
});

describe('targets', () => {
  it('a connection string or an object with db and audit, in the file\'s order', () => {
    const config = parseConfigFile(
      { targets: { a: 'postgres://ops@db1/a', b: { db: 'host=db2 dbname=b user=ops', audit: { failOn: 'warn' } } }, $schema: './bookops.schema.json' },
      'bookops.json',
    );
    expect(config.targets).toEqual([
      { name: 'a', db: 'postgres://ops@db1/a' },
      { name: 'b', db: 'host=db2 dbname=b user=ops', audit: { failOn: 'warn' } },
    ]);
    expect(selectTargets(config, { allTargets: true }, {}).map((t) => [t.name, t.target.label])).toEqual([
      ['a', 'ops@db1:5432/a'],
      ['b', 'ops@db2:5432/b'],
    ]);
  });

  it.each([
    [{ targets: { a: { db: 'postgres://h/a', dbname: 'x' } } }, /targets\.a: unknown key dbname \(known: db, audit\)/],
    [{ targets: { a: 42 } }, /targets\.a: expected a connection string or an object with "db"/],
    [{ targets: { 'a b': 'postgres://h/a' } }, /targets\.a b: a target name is letters, digits/],
    [{ targets: { a: '  ' } }, /targets\.a: the connection string is empty/],
    [{ targets: [] }, /targets must be an object/],
    [{ targets: {}, other: { kept: 'for other tools' } }, /^bookops\.json: unknown key other \(known: targets, audit, \$schema\)$/],
    [{ audit: {}, target: { a: 'postgres://h/a' } }, /^bookops\.json: unknown key target /],
  ])('%j is a usage error naming the key', (doc, message) => {
    expect(() => parseConfigFile(doc, 'bookops.json')).toThrow(UsageError);
    expect(() => parseConfigFile(doc, 'bookops.json')).toThrow(message);
  });

  it('--db with named targets, an unknown name, and none configured are usage errors', () => {
    const config = parseConfigFile({ targets: { a: 'postgres://h/a' } }, 'bookops.json');
    expect(() => selectTargets(config, { db: 'postgres://h/x', target: ['a'] }, {})).toThrow(/--db and --target exclude each other/);
    expect(() => selectTargets(config, { target: ['b'] }, {})).toThrow(/unknown target 'b' \(configured in bookops\.json: a\)/);
    expect(() => selectTargets(parseConfigFile({}, 'bookops.json'), { allTargets: true }, {})).toThrow(/^no targets configured: the config file bookops.json has no "targets" section$/);
    expect(() => selectTargets({ audit: undefined, targets: [] }, { allTargets: true }, {})).toThrow(/^no targets configured: no config file found \(--config, /);
    expect(() => selectTargets(parseConfigFile({ targets: { a: 'postgres://h/a?sslmod=x' } }, 'f.json'), { allTargets: true }, {})).toThrow(
      /f\.json: targets\.a: .*unknown query parameter 'sslmod'/,
    );
  });
});

describe('the exit code of a run over several targets', () => {
  it('the worst: not reached or failed statements over refusals over findings over healthy', () => {
    expect(worstExit([])).toBe(EXIT.OK);
    expect(worstExit([EXIT.OK, EXIT.FINDINGS, EXIT.OK])).toBe(EXIT.FINDINGS);
    expect(worstExit([EXIT.FINDINGS, EXIT.CONNECTION, EXIT.OK])).toBe(EXIT.CONNECTION);
    expect(worstExit([EXIT.DATABASE, EXIT.FINDINGS])).toBe(EXIT.DATABASE);
    expect(worstExit([EXIT.DATABASE, EXIT.CONNECTION])).toBe(EXIT.CONNECTION);
    expect(worstExit([EXIT.REFUSED, EXIT.FINDINGS])).toBe(EXIT.REFUSED);
    expect(worstExit([EXIT.REFUSED, EXIT.DATABASE])).toBe(EXIT.DATABASE);
  });
});
