/**
 * The Citus refusal (src/migrate/citus.ts), given the detection's result: on a plain PostgreSQL
 * (null) every shipped migration runs; on a Citus coordinator the ones whose statements change
 * meaning on distributed tables are refused with one line and exit 4, each for its reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RefusedError } from '../../src/errors.js';
import { EXIT } from '../../src/exit-codes.js';
import { citusHazards, hazardsOf, refuseOnCitus } from '../../src/migrate/citus.js';
import { loadMigrations } from '../../src/migrate/migration-file.js';
import { projectRoot } from '../../src/paths.js';
import { planToSql } from '../../src/migrate/plan.js';
import { DEFAULT_SESSION } from '../../src/data/session.js';

const shipped = () => loadMigrations(join(projectRoot(), 'migrations'));
const named = async (prefix: string) => (await shipped()).filter((m) => m.name.startsWith(prefix));

describe('the Citus refusal', () => {
  it('on a plain PostgreSQL (no citus extension) nothing is refused', async () => {
    expect(() => refuseOnCitus(null, [], 'up')).not.toThrow();
    const all = await shipped();
    expect(() => refuseOnCitus(null, all, 'up')).not.toThrow();
  });

  it('on a Citus coordinator: one line, exit 4, the migration, its line and why', async () => {
    const error = (() => {
      try {
        return refuseOnCitus('12.1-1', [], 'up');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeUndefined();
    const slots = await named('0003');
    let refused: unknown;
    try {
      refuseOnCitus('12.1-1', slots, 'up');
    } catch (e) {
      refused = e;
    }
    expect(refused).toBeInstanceOf(RefusedError);
    expect((refused as RefusedError).exitCode).toBe(EXIT.REFUSED);
    expect((refused as RefusedError).message).toMatch(
      /^refused on a Citus coordinator \(citus 12\.1-1\): 0003_slots_active_candidate_unique\.sql:\d+: unique-index: a unique index on a distributed table must include its distribution column/,
    );
    expect((refused as RefusedError).message).not.toContain('\n');
    expect((refused as RefusedError).hint).toMatch(/docs\/SCALE-OUT\.md/);
  });

  it('each hazard for its own statement', async () => {
    expect(hazardsOf('CREATE UNIQUE INDEX CONCURRENTLY x ON slots (candidate_tg_id) WHERE status = \'active\'').map((h) => h.kind)).toEqual([
      'unique-index',
      'concurrent-index',
    ]);
    expect(hazardsOf('CREATE INDEX CONCURRENTLY x ON slots (recruiter_id)').map((h) => h.kind)).toEqual(['concurrent-index']);
    expect(hazardsOf('CREATE OR REPLACE TRIGGER t AFTER INSERT ON bookings FOR EACH ROW EXECUTE FUNCTION f()').map((h) => h.kind)).toEqual(['trigger']);
    expect(hazardsOf('ALTER TABLE bots ADD CONSTRAINT b_fk FOREIGN KEY (number_id) REFERENCES whatsapp_numbers (id) ON DELETE CASCADE NOT VALID').map((h) => h.kind)).toEqual([
      'foreign-key',
    ]);
    expect(hazardsOf('DELETE FROM notification_logs l WHERE EXISTS (SELECT 1 FROM slots s WHERE s.id = l.slot_id)').map((h) => h.kind)).toEqual(['correlated-update']);
    // A comment is not a statement.
    expect(hazardsOf('-- CREATE TRIGGER in a comment\nSELECT 1')).toEqual([]);
  });

  it('which shipped migrations it refuses, up and down', async () => {
    const all = await shipped();
    const up = citusHazards(all, 'up').map((u) => [u.migration.slice(0, 4), u.hazard.kind]);
    // Each migration's first hazard; 0007 only replaces a function's body.
    expect(up).toEqual([
      ['0001', 'foreign-key'],
      ['0002', 'unique-index'],
      ['0003', 'unique-index'],
      ['0004', 'concurrent-index'],
      ['0005', 'concurrent-index'],
      ['0006', 'trigger'],
      ['0008', 'unique-index'],
    ]);
    expect(citusHazards(all, 'down').map((u) => u.migration.slice(0, 4))).toEqual(['0002', '0003', '0004', '0005', '0008']);
  });

  it('migrate plan says up would refuse, as a comment of the script', () => {
    const sql = planToSql({ migrations: [], approximate: false, citusRefusal: 'refused on a Citus coordinator (citus 12.1-1): 0003: unique-index: why' }, DEFAULT_SESSION, 'ops@db:5432/x');
    expect(sql).toContain('-- refused on a Citus coordinator (citus 12.1-1): 0003: unique-index: why: migrate up refuses here (docs/SCALE-OUT.md).');
    expect(planToSql({ migrations: [], approximate: false }, DEFAULT_SESSION, 'ops@db:5432/x')).not.toMatch(/Citus/);
  });
});
