/** parseMigration (src/migrate/migration-file.ts): a migration file's header, directives and sections, no database. */
import { describe, expect, it } from 'vitest';
import { parseMigration } from '../../src/migrate/migration-file.js';

describe('migration files', () => {
  it('parses header, directives, preflight, up and down', () => {
    const m = parseMigration(
      '0007_x.sql',
      '/x',
      '-- Does a thing.\n--\n-- Details.\n-- bookops:requires-tables a, b\n-- migrate:preflight rows that break it\nSELECT 1;\n-- migrate:up transaction:false\nSELECT 2;\nSELECT 3;\n-- migrate:down\nSELECT 4;\n',
    );
    expect(m).toMatchObject({
      description: 'Does a thing.',
      transactional: false,
      directives: { 'requires-tables': 'a, b' },
      preflight: { description: 'rows that break it', sql: 'SELECT 1', line: 6 },
    });
    expect(m.up.map((s) => s.sql)).toEqual(['SELECT 2', 'SELECT 3']);
    expect(m.down?.map((s) => s.sql)).toEqual(['SELECT 4']);
  });

  it('parses a down-preflight, and leaves it out of the checksum (adding one does not edit an applied migration)', () => {
    const base = '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down\nDROP TABLE t;\n';
    const withCheck = '-- migrate:up\nCREATE TABLE t (a int);\n-- migrate:down-preflight rows in t\nSELECT * FROM t;\n\n-- migrate:down\nDROP TABLE t;\n';
    const m = parseMigration('0002_x.sql', '/x', withCheck);
    expect(m.downPreflight).toEqual({ description: 'rows in t', sql: 'SELECT * FROM t', line: 4 });
    expect(m.down?.map((s) => s.sql)).toEqual(['DROP TABLE t']);
    expect(m.checksum).toBe(parseMigration('0002_x.sql', '/x', base).checksum);
    // Any other edit is one.
    expect(parseMigration('0002_x.sql', '/x', base.replace('DROP TABLE t', 'DROP TABLE t CASCADE')).checksum).not.toBe(m.checksum);
    expect(() => parseMigration('0002_x.sql', '/x', withCheck.replace('SELECT * FROM t;', 'SELECT 1; SELECT 2;'))).toThrow(/down-preflight section must hold exactly one query/);
  });

  it('refuses bookops:repeat inside a transactional migration', () => {
    expect(() => parseMigration('0001_x.sql', '/x', '-- migrate:up\n-- bookops:repeat\nUPDATE t SET a = 1;\n')).toThrow(/outside a transaction/);
  });
});
