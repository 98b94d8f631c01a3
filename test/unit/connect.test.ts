/** clientConfig (src/data/connect.ts): the pg client configuration bookops builds; nothing connects. */
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { clientConfig, DEFAULT_SESSION } from '../../src/data/connect.js';

describe('client config', () => {
  it('every client config carries the client key, even after pg has hidden it on an earlier one', async () => {
    const spec = { host: 'h', port: 1, user: 'u', database: 'd', ssl: { rejectUnauthorized: false, key: Buffer.from('KEY'), cert: Buffer.from('CERT') } };
    const session = { ...DEFAULT_SESSION, connectTimeoutMs: 1000 };
    new pg.Client(clientConfig(spec, session, true)); // pg makes `key` non-enumerable on what it gets
    const next = clientConfig(spec, session, true);
    expect(Object.keys(next.ssl as object)).toContain('key');
    expect(structuredClone(next.ssl)).toMatchObject({ key: expect.anything() }); // survives a deep copy, as Knex makes
  });
});
