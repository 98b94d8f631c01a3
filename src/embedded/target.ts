import pg from 'pg';
import { makeTarget, type Target } from '../config/target.js';
import { createDatabase, databaseExists } from '../data/databases.js';
import { translateConnectError } from '../data/pg-errors.js';
import { startCluster, type ClusterState } from './cluster.js';
import { clusterPaths } from './paths.js';
import { asInvoked } from '../invocation.js';

/**
 * The default target: the embedded cluster, started (and initialised) when needed, with its
 * `bookops` database created when missing. `log` receives what was done, for stderr.
 */
export async function embeddedTarget(log: (line: string) => void, database?: string): Promise<Target> {
  const paths = clusterPaths();
  const { state, started, initialised } = await startCluster({ paths, timeoutMs: startTimeoutMs() });
  if (initialised) log(`initialised an embedded PostgreSQL cluster in ${paths.home}`);
  if (started) log(`started the embedded PostgreSQL cluster on 127.0.0.1:${state.port} (stop it with: ${asInvoked('db stop')})`);
  const target = makeTarget('embedded', {
    host: '127.0.0.1',
    port: state.port,
    user: state.user,
    password: state.password,
    database: database ?? state.database,
  });
  await ensureDatabase(state, target);
  return target;
}

export function startTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const seconds = Number(env.BOOKOPS_START_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 60_000;
}

/** Creates the target's database on the embedded cluster when it does not exist. */
export async function ensureDatabase(state: ClusterState, target: Target): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: state.port,
    user: state.user,
    password: state.password,
    database: 'postgres',
    application_name: 'bookops',
    connectionTimeoutMillis: 10_000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    if (!(await databaseExists(client, target.spec.database))) {
      await createDatabase(client, target.spec.database).catch((err) => {
        if ((err as { code?: string }).code !== '42P04') throw err; // created by a concurrent bookops
      });
    }
  } catch (err) {
    throw translateConnectError(err, target.label);
  } finally {
    await client.end().catch(() => undefined);
  }
}
