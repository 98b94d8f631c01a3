/** Creating and dropping whole databases, on a plain pg client connected to another database of the cluster. */
import type pg from 'pg';
import { identifier, sql } from './sql.js';

export async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  return Boolean((await client.query(sql('catalog/database-exists').text, [name])).rowCount);
}

export async function createDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(sql('catalog/create-database', { name: identifier(name) }).text);
}

export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(sql('catalog/drop-database', { name: identifier(name) }).text);
}
