/**
 * A database of its own for each test file, created on the test server and dropped at the
 * end, plus a Knex instance opened the way bookops opens it (same session settings).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { parseDatabaseUrl } from '../../src/config/target.js';
import { openDatabase } from '../../src/data/connect.js';
import { DEFAULT_SESSION, type SessionOptions } from '../../src/data/session.js';

export interface TestDatabase {
  name: string;
  /** URL with credentials, for --db and for extra connections. */
  url: string;
  db: Knex;
  /** Another Knex instance on the same database (closed by drop()). */
  open(session?: Partial<SessionOptions>): Promise<Knex>;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  return inject('adminUrl');
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export async function adminQuery(sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const name = `bookops_t_${label.replace(/[^a-z0-9]+/gi, '_').toLowerCase().slice(0, 30)}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = urlFor(name);
  const opened: Knex[] = [];
  const open = async (session: Partial<SessionOptions> = {}) => {
    const db = await openDatabase(parseDatabaseUrl(url, 'flag'), { ...DEFAULT_SESSION, poolMax: 10, ...session });
    opened.push(db);
    return db;
  };
  const db = await open();
  return {
    name,
    url,
    db,
    open,
    async drop() {
      await Promise.all(opened.map((k) => k.destroy().catch(() => undefined)));
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}

/** For files that need several databases: each one made by the returned function is dropped after the file. */
export function databasesForThisFile(): (label: string) => Promise<TestDatabase> {
  const made: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(made.map((t) => t.drop()));
  });
  return async (label) => {
    const t = await createTestDatabase(label);
    made.push(t);
    return t;
  };
}
