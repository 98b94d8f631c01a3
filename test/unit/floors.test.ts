/**
 * The floors of the house (ARCHITECTURE.md, Layers; docs/DEVELOPING.md), read from the sources:
 * commands issue no SQL and never reach the SQL loader or a repository; no lower floor imports
 * the CLI; commands do not import each other; SQL text lives only in the data layer; and there
 * is no import circle anywhere in src/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

const SRC = join(projectRoot(), 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = files(SRC).map((path) => ({ path, rel: relative(SRC, path), text: readFileSync(path, 'utf8') }));

/** The files a source imports (static and dynamic imports of relative paths), as paths under src/. */
function importsOf(file: { path: string; text: string }): string[] {
  const found = [...file.text.matchAll(/(?:from\s+|import\s*\(\s*)'(\.[^']+)'/g)].map((m) => m[1]);
  return found.map((spec) => relative(SRC, resolve(dirname(file.path), spec.replace(/\.js$/, '.ts'))));
}

const under = (prefix: string) => sources.filter((f) => f.rel.startsWith(prefix));

describe('floors', () => {
  it('no command issues SQL, or imports the SQL loader or a repository', () => {
    const offenders = under('commands/').flatMap((f) => [
      ...(/\.raw\(|\bknex\(|\bSELECT\b|\bINSERT INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE FROM\b/.test(f.text) ? [`${f.rel}: SQL`] : []),
      ...importsOf(f)
        .filter((i) => i === 'data/sql.ts' || i.endsWith('.repository.ts'))
        .map((i) => `${f.rel} imports ${i}`),
    ]);
    expect(offenders).toEqual([]);
  });

  it('nothing under domain, data, audit, migrate, chats, archive, platform or errors.ts imports the CLI', () => {
    const lower = sources.filter((f) => /^(domain|data|audit|migrate|chats|archive|platform|io|fleet|config)\//.test(f.rel) || f.rel === 'errors.ts' || f.rel === 'exit-codes.ts');
    const offenders = lower.flatMap((f) => importsOf(f).filter((i) => i.startsWith('cli/') || i.startsWith('commands/')).map((i) => `${f.rel} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('commands do not import other commands (what they share lives a floor down)', () => {
    const offenders = under('commands/').flatMap((f) =>
      importsOf(f)
        .filter((i) => i.startsWith('commands/') && dirname(i) !== dirname(f.rel))
        .map((i) => `${f.rel} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the wings and the data layer never import the domain or the io floor', () => {
    const offenders = sources
      .filter((f) => /^(data|audit|migrate|chats|archive|platform)\//.test(f.rel))
      .flatMap((f) => importsOf(f).filter((i) => i.startsWith('domain/') || i.startsWith('io/')).map((i) => `${f.rel} imports ${i}`));
    expect(offenders).toEqual([]);
  });

  it('the data layer is where SQL text lives: no SELECT or DELETE FROM statement is written outside it', () => {
    const outside = sources.filter((f) => !f.rel.startsWith('data/'));
    const offenders = outside.filter((f) => /['`]\s*(SELECT\s|INSERT INTO\s|DELETE FROM\s|UPDATE \S+ SET\s|WITH \w+ AS \(|CREATE DATABASE|DROP DATABASE)/.test(f.text)).map((f) => f.rel);
    expect(offenders).toEqual([]);
  });

  it('no import circles', () => {
    const graph = new Map(sources.map((f) => [f.rel, importsOf(f)]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: string, path: string[]) => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...path.slice(path.indexOf(node)), node].join(' -> '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
      state.set(node, 'done');
    };
    for (const node of graph.keys()) visit(node, []);
    expect(cycles).toEqual([]);
  });
});
