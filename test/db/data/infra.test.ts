import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../fixtures/db.js';
import { legacySchema } from '../../fixtures/schema.js';

describe('test infrastructure', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('infra');
  });
  afterAll(async () => t?.drop());

  it('opens sessions with the bookops settings', async () => {
    const { rows } = await t.db.raw(
      "SELECT current_setting('application_name') AS app, current_setting('lock_timeout') AS lock, current_setting('statement_timeout') AS stmt",
    );
    expect(rows[0]).toEqual({ app: 'bookops', lock: '1s', stmt: '5min' });
  });

  it('creates the legacy schema', async () => {
    await legacySchema(t);
    const { rows } = await t.db.raw("SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public' AND tablename = 'interviews'");
    expect(rows[0].n).toBe(1);
  });
});
