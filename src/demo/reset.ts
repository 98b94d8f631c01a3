/**
 * `bookops demo --reset`: drop and recreate the demo database through a connection to the
 * cluster's `postgres` database. Only ever called for the embedded cluster (the command checks).
 */
import type { Target } from '../config/target.js';
import { connectClient, type SessionOptions } from '../data/connect.js';
import { createDatabase, dropDatabase } from '../data/databases.js';

export async function recreateDatabase(target: Target, session: SessionOptions): Promise<void> {
  const admin: Target = { ...target, spec: { ...target.spec, database: 'postgres' } };
  const { client } = await connectClient(admin, session);
  try {
    await dropDatabase(client, target.spec.database);
    await createDatabase(client, target.spec.database);
  } finally {
    await client.end().catch(() => undefined);
  }
}
