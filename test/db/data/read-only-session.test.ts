/**
 * The exporter's sessions (src/fleet/exporter.ts): application_name=bookops-serve, and every
 * transaction read only: default_transaction_read_only as a start-up parameter, or, through a
 * pooler (settings transaction-local, src/data/scoped-settings.ts), transaction_read_only in each
 * transaction; so even a statement outside the READ ONLY transactions cannot write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase('read_only_session');
  await t.db.raw('CREATE TABLE notes (id int)');
});
afterAll(async () => t?.drop());

describe.each(['startup', 'set'] as const)('a read-only session (%s)', (settingsMode) => {
  it('is named bookops-serve and cannot write', async () => {
    const db = await t.open({ settingsMode, applicationName: 'bookops-serve', readOnly: true });
    const row = (await db.raw(`SELECT current_setting('application_name') AS app, current_setting('transaction_read_only') AS ro`)).rows[0];
    expect(row).toEqual({ app: 'bookops-serve', ro: 'on' });
    await expect(db.raw('INSERT INTO notes VALUES (1)')).rejects.toMatchObject({ code: '25006' });
    expect((await t.db.raw('SELECT count(*)::int AS n FROM notes')).rows[0].n).toBe(0);
  });
});
