import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beginOperation } from '../../../src/archive/operation.js';
import { archiveBeforeUpdate, archiveInserted, deleteArchived } from '../../fixtures/archive.js';
import { restoreOperation } from '../../../src/archive/restore.js';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';

async function snapshot(t: TestDatabase, table: string) {
  const { rows } = await t.db.raw(`SELECT to_jsonb(x) AS r FROM ${table} x ORDER BY 1::text`);
  return rows.map((r: { r: unknown }) => JSON.stringify(r.r)).sort();
}

describe('archive: delete and update with undo', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('archive');
    await t.db.raw(`
      CREATE TABLE parents (id serial PRIMARY KEY, name text, at timestamp DEFAULT now(), tags text[], amount numeric);
      CREATE TABLE children (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, parent_id int REFERENCES parents(id), body jsonb);
      INSERT INTO parents (name, tags, amount) SELECT 'p' || g, ARRAY['a', 'b' || g], g * 1.5 FROM generate_series(1, 5) g;
      INSERT INTO children (parent_id, body) SELECT 1 + g % 5, jsonb_build_object('n', g) FROM generate_series(1, 20) g;`);
  });
  afterAll(async () => t?.drop());

  it('archives exactly what it removes and restores the tables row for row', async () => {
    const before = { parents: await snapshot(t, 'parents'), children: await snapshot(t, 'children') };
    const opId = await t.db.transaction(async (trx) => {
      const op = await beginOperation(trx, { action: 'test.delete', commandLine: 'bookops test' });
      const updated = await archiveBeforeUpdate(trx, op, 'parents', 't.id = :id', { id: 2 });
      await trx('parents').where({ id: 2 }).update({ name: 'changed', tags: ['x'] });
      const children = await deleteArchived(trx, op, 'children', 't.parent_id IN (1, 2)');
      const parents = await deleteArchived(trx, op, 'parents', 't.id = ANY(:ids)', { ids: [1, 2] });
      expect(updated).toBe(1);
      expect(children.length).toBe(8);
      expect(parents.length).toBe(2);
      const { rows } = await trx.raw('SELECT count(*)::int AS n FROM bookops_archive_rows WHERE operation_id = ?', [op.id]);
      expect(rows[0].n).toBe(1 + 8 + 2);
      return op.id;
    });
    expect(await snapshot(t, 'parents')).toHaveLength(3);
    const restored = await t.db.transaction((trx) => restoreOperation(trx, opId));
    expect(restored.inserted).toEqual({ parents: 2, children: 8 });
    expect(restored.updated).toEqual({ parents: 1 });
    expect(await snapshot(t, 'parents')).toEqual(before.parents);
    expect(await snapshot(t, 'children')).toEqual(before.children);
    await expect(t.db.transaction((trx) => restoreOperation(trx, opId))).rejects.toThrow(/already restored/);
  });

  it('removes the rows an operation inserted, and refuses when one of them changed since', async () => {
    const before = await snapshot(t, 'parents');
    const insertOp = async () =>
      t.db.transaction(async (trx) => {
        const op = await beginOperation(trx, { action: 'test.insert', commandLine: 'bookops test' });
        const [{ id }] = (await trx.raw("INSERT INTO parents (name) VALUES ('new') RETURNING id")).rows;
        expect(await archiveInserted(trx, op, 'parents', 't.id = :id', { id })).toBe(1);
        return { op: op.id, id };
      });
    const first = await insertOp();
    const restored = await t.db.transaction((trx) => restoreOperation(trx, first.op));
    expect(restored.removed).toEqual({ parents: 1 });
    expect(await snapshot(t, 'parents')).toEqual(before);

    const second = await insertOp();
    await t.db('parents').where({ id: second.id }).update({ name: 'changed by someone else' });
    await expect(t.db.transaction((trx) => restoreOperation(trx, second.op))).rejects.toThrow(/was changed since; nothing was restored/);
    expect(await t.db('parents').where({ id: second.id }).first()).toMatchObject({ name: 'changed by someone else' });
  });

  it('restores set-based in undo order: a row changed twice gets its oldest version, a tree in one table comes back whole', async () => {
    await t.db.raw(`
      CREATE TABLE nodes (id int PRIMARY KEY, parent_id int REFERENCES nodes(id), label text);
      INSERT INTO nodes VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'a.1'), (4, 1, 'b');`);
    const before = { parents: await snapshot(t, 'parents'), nodes: await snapshot(t, 'nodes') };
    const opId = await t.db.transaction(async (trx) => {
      const op = await beginOperation(trx, { action: 'test.runs', commandLine: 'bookops test' });
      // Two updates of one row archived back to back: one run of two archived versions.
      await archiveBeforeUpdate(trx, op, 'parents', 't.id = 3');
      await trx('parents').where({ id: 3 }).update({ name: 'first change' });
      await archiveBeforeUpdate(trx, op, 'parents', 't.id = 3');
      await trx('parents').where({ id: 3 }).update({ name: 'second change' });
      // A whole tree of one table in one statement, then another table, then the first again.
      await deleteArchived(trx, op, 'nodes', 't.id IN (2, 3)');
      await archiveBeforeUpdate(trx, op, 'parents', 't.id = 4');
      await trx('parents').where({ id: 4 }).update({ amount: 0 });
      await deleteArchived(trx, op, 'nodes', 't.id IN (1, 4)');
      return op.id;
    });
    expect(await snapshot(t, 'nodes')).toEqual([]);
    const restored = await t.db.transaction((trx) => restoreOperation(trx, opId));
    expect(restored.inserted).toEqual({ nodes: 4 });
    expect(restored.updated).toEqual({ parents: 2 });
    expect(await snapshot(t, 'parents')).toEqual(before.parents);
    expect(await snapshot(t, 'nodes')).toEqual(before.nodes);
  });
});
