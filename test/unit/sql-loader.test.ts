/**
 * The SQL loader (src/data/sql.ts): every named block under sql/ loads and expands, each line of
 * an expanded text is traced back to the file and line it came from, bad references fail with a
 * message naming them, and `native` is what the driver is sent. No database: knex compiles a
 * statement without connecting.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import knex from 'knex';
import { describe, expect, it } from 'vitest';
import { identifier, joined, native, sql, type Sql } from '../../src/data/sql.js';
import { sqlDir } from '../../src/paths.js';
import { VOCABULARY } from '../../src/platform/vocabulary.js';

const NAME = /^--\s*name:\s*([a-z0-9][a-z0-9.-]*)\s*$/;

/** Every `area/name` under sql/, read straight from the files. */
function allRefs(): string[] {
  const refs: string[] = [];
  for (const area of readdirSync(sqlDir()).sort()) {
    for (const file of readdirSync(join(sqlDir(), area)).filter((f) => f.endsWith('.sql'))) {
      for (const line of readFileSync(join(sqlDir(), area, file), 'utf8').split('\n')) {
        const m = NAME.exec(line);
        if (m) refs.push(`${area}/${m[1]}`);
      }
    }
  }
  return refs;
}

/** The block, its slots (includes that name no block) filled with a placeholder identifier. */
function expandFilling(ref: string): Sql {
  const slots: Record<string, Sql> = {};
  for (let tries = 0; tries < 20; tries++) {
    try {
      return sql(ref, slots);
    } catch (err) {
      const missing = /^no SQL block (\S+) in sql\//.exec((err as Error).message);
      if (!missing) throw err;
      slots[missing[1]] = identifier(`slot_${missing[1]}`);
    }
  }
  throw new Error(`${ref}: too many slots`);
}

const db = knex({ client: 'pg' });

describe('SQL loader', () => {
  const refs = allRefs();

  it('finds the named blocks of every area, each name once per area', () => {
    expect(refs.length).toBeGreaterThan(100);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it('expands every block: no include is left unresolved once its slots are given', () => {
    for (const ref of refs) {
      const q = expandFilling(ref);
      expect(q.text, ref).not.toMatch(/\{\{/);
      expect(q.text.trim().length, ref).toBeGreaterThan(0);
      expect(q.lines.length, ref).toBe(q.text.split('\n').length);
    }
  });

  it('traces each line of an expanded text to the file and line it came from', () => {
    const files = new Map<string, string[]>();
    const lineOf = (origin: string) => {
      const [, file, n] = /^(sql\/.+\.sql):(\d+)$/.exec(origin) ?? [];
      if (!file) return undefined;
      if (!files.has(file)) files.set(file, readFileSync(join(sqlDir(), '..', file), 'utf8').split('\n'));
      return files.get(file)![Number(n) - 1];
    };
    let traced = 0;
    for (const ref of refs) {
      const q = expandFilling(ref);
      q.text.split('\n').forEach((text, i) => {
        const source = lineOf(q.lines[i]);
        // Comment lines are blanked; a line with an include differs from its source after it.
        if (source === undefined || text.trim() === '' || /\{\{/.test(source)) return;
        // An include's last line runs on into the rest of the including line, and the block's
        // last line loses its closing semicolon: the text starts with its source line.
        expect(text.startsWith(source.replace(/;\s*$/, '')), `${ref} line ${i + 1} (${q.lines[i]}): ${text}`).toBe(true);
        traced++;
      });
    }
    expect(traced).toBeGreaterThan(500);
  });

  it('blanks comment lines, so a :name in a comment never becomes a parameter', () => {
    for (const ref of refs) expect(expandFilling(ref).text, ref).not.toMatch(/^\s*--/m);
  });

  it('fails on a bad reference with a message that names it', () => {
    expect(() => sql('stale-logs')).toThrow("SQL reference 'stale-logs' is not <area>/<name>");
    expect(() => sql('recruiting/no-such-block')).toThrow('no SQL block no-such-block in sql/recruiting');
  });

  it('fills a slot with the value given, case for case', () => {
    const q = sql('recruiting/stale-logs', { 'candidate-column': identifier('candidate_tg_id') });
    expect(q.text).toContain('"candidate_tg_id"');
    expect(q.ref).toBe('recruiting/stale-logs');
    expect(JSON.stringify({ q })).toBe('{"q":"recruiting/stale-logs"}');
  });

  it('joins identifiers quoted, never as raw text', () => {
    expect(joined([identifier('a'), identifier('we"ird')]).text).toBe('"a", "we""ird"');
  });

  it('native: named parameters become $n in order, the status vocabulary is bound, ? is left alone', () => {
    const n = native(db, {
      sql: expandFilling('recruiting/stale-logs'),
      params: { slotId: 7, candidateTgId: null, ids: null },
    });
    expect(n.sql).not.toMatch(/(^|[^:]):[a-zA-Z]/);
    const placeholders = [...n.sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    expect(Math.max(...placeholders)).toBe(n.bindings.length);
    expect(n.bindings).toContain(7);
    const vocabulary = Object.values(VOCABULARY);
    expect(n.bindings.some((b) => vocabulary.includes(b as never))).toBe(true);
    const withQuestion = native(db, { sql: identifier('a?b'), params: {} });
    expect(withQuestion.sql).toBe('"a?b"');
  });
});
