/** Which statements a pooled connection must send outside a transaction of its own (scoped-settings.ts). */
import { describe, expect, it } from 'vitest';
import { mustRunOutsideTransaction } from '../../src/data/scoped-settings.js';

describe('mustRunOutsideTransaction', () => {
  it('knows the statements PostgreSQL refuses inside a transaction block, after comments and blanks', () => {
    for (const sql of [
      'CREATE INDEX CONCURRENTLY i ON t (a)',
      'create unique index concurrently if not exists i on t (a)',
      '-- 0002: the new key first\n  CREATE UNIQUE INDEX CONCURRENTLY i ON t (a) WHERE b',
      '/* leftover */ DROP INDEX CONCURRENTLY IF EXISTS i',
      'REINDEX INDEX CONCURRENTLY i',
      'VACUUM (ANALYZE) t',
      'CREATE DATABASE x',
    ]) {
      expect(mustRunOutsideTransaction(sql), sql).toBe(true);
    }
  });

  it('sends everything else inside one', () => {
    for (const sql of [
      'CREATE INDEX i ON t (a)',
      'ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u NOT VALID',
      'SELECT 1 -- CREATE INDEX CONCURRENTLY',
      "UPDATE t SET note = 'VACUUM' WHERE id = 1",
      'REINDEX INDEX i',
    ]) {
      expect(mustRunOutsideTransaction(sql), sql).toBe(false);
    }
  });
});
