import pg from 'pg';
import { makeTarget, type Target } from '../config/target.js';
import { createDatabase, databaseExists } from '../data/databases.js';
import { translateConnectError } from '../data/pg-errors.js';
import { startCluster, type ClusterState } from './cluster.js';
import { clusterPaths } from './paths.js';
import { isRoot } from './os-user.js';
import { asInvoked } from '../invocation.js';

/**
 * The default target: the embedded cluster, started (and initialised) when needed, with its
 * `bookops` database created when missing. `log` receives what is done, for stderr: the first
 * time, before the wait, one line that says what is being created where, and that it stays.
 */
export async function embeddedTarget(log: (line: string) => void, database?: string): Promise<Target> {
  const paths = clusterPaths();
  const { state, started, initialised } = await startCluster({
    paths,
    timeoutMs: startTimeoutMs(),
    onInitialise: () => log(firstTimeNotice(paths.home)),
  });
  if (started && !initialised) log(`started the embedded PostgreSQL cluster on 127.0.0.1:${state.port} (stop it with: ${asInvoked('db stop')})`);
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

/** What a command with no target does the first time, in one line (README, "Which database"). */
export function firstTimeNotice(home: string, root = isRoot()): string {
  const user = root ? ', run by the OS user postgres (created when missing, as PostgreSQL refuses to run as root)' : '';
  return `no database given (--db, DATABASE_URL, PG*): creating an embedded PostgreSQL cluster in ${home}${user}; it keeps running after this command (stop it with: ${asInvoked('db stop')})`;
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
