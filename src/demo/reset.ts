/**
 * `bookops demo --reset`: drop and recreate the demo database through a connection to the
 * cluster's `postgres` database. Only ever called for the embedded cluster (the command checks).
 * WITH (FORCE) ends other sessions on it (a psql left open), which the user has confirmed.
 */
import type { Target } from '../config/target.js';
import { connectClient, type SessionOptions } from '../data/connect.js';

export async function recreateDatabase(target: Target, session: SessionOptions): Promise<void> {
  const admin: Target = { ...target, spec: { ...target.spec, database: 'postgres' } };
  const { client } = await connectClient(admin, session);
  try {
    const name = client.escapeIdentifier(target.spec.database);
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
